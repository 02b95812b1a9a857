package io.github.apikey.test.example;

// tag::with-api-key[]
import io.github.apikey.test.WithApiKey;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(ReportController.class)
@ActiveProfiles("test")
@WithApiKey(name = "reader", scopes = "reports:read")
class ReportControllerWithApiKeyTests {

    @Autowired
    MockMvc mvc;

    @Test
    void everyRequestCarriesTheClassKey() throws Exception {
        mvc.perform(get("/reports"))
                .andExpect(status().isOk())
                .andExpect(content().json("[\"Report for reader\"]"));
    }

    @Test
    @WithApiKey(name = "editor", scopes = "reports:write")
    void aMethodKeyReplacesTheClassKey() throws Exception {
        mvc.perform(get("/reports/drafts"))
                .andExpect(status().isOk())
                .andExpect(content().json("[\"Draft by editor\"]"));
        mvc.perform(get("/reports"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key missing required scopes 'reports:read'"));
    }

    @Test
    @WithApiKey(scopes = "reports:read", expiresAt = "2020-01-01T00:00:00Z")
    void anExpiredKeyIsRefused() throws Exception {
        mvc.perform(get("/reports"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key expired"));
    }
}
// end::with-api-key[]
