package io.github.apikey.test.example;

// tag::post-processor[]
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.apikey.test.ApiKeyRequestPostProcessors.apiKey;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(ReportController.class)
@ActiveProfiles("test")
class ReportControllerTests {

    @Autowired
    MockMvc mvc;

    @Test
    void aKeyWithTheScopeReadsReports() throws Exception {
        mvc.perform(get("/reports").with(apiKey().name("reader").scopes("reports:read")))
                .andExpect(status().isOk())
                .andExpect(content().json("[\"Report for reader\"]"));
    }

    @Test
    void aKeyWithoutTheScopeIsRefused() throws Exception {
        mvc.perform(get("/reports").with(apiKey().scopes("reports:write")))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key missing required scopes 'reports:read'"));
    }

    @Test
    void anInactiveKeyIsRefused() throws Exception {
        mvc.perform(get("/reports").with(apiKey().scopes("reports:read").inactive()))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key inactive"));
    }

    @Test
    void aRequestWithoutAKeyIsUnauthorized() throws Exception {
        mvc.perform(get("/reports"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key missing"));
    }
}
// end::post-processor[]
