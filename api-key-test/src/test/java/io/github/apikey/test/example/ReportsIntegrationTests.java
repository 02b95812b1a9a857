package io.github.apikey.test.example;

// tag::test-api-keys[]
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.test.TestApiKeys;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.apikey.test.TestApiKeys.bearer;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class ReportsIntegrationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    TestApiKeys testApiKeys;

    @AfterEach
    void deleteKeys() {
        testApiKeys.deleteCreated();
    }

    @Test
    void aRealKeyIsVerified() throws Exception {
        CreatedApiKey key = testApiKeys.create("reader", "reports:read");

        mvc.perform(get("/reports").with(bearer(key)))
                .andExpect(status().isOk())
                .andExpect(content().json("[\"Report for reader\"]"));
        mvc.perform(get("/reports").with(bearer(key.plaintext() + "x")))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key invalid"));
    }

    @Test
    void aDisabledKeyIsRefused() throws Exception {
        CreatedApiKey key = testApiKeys.create(NewApiKey.named("old").withScopes(List.of("reports:read"))
                .withActive(false));

        mvc.perform(get("/reports").with(bearer(key)))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key inactive"));
    }
}
// end::test-api-keys[]
