package io.github.apikey.spring.security.mixed;

// The README shows the code between the tag lines verbatim; ReadmeSnippetTests keeps the two equal.
// tag::slice-test-with-pepper[]
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(controllers = ReportController.class, properties = {
        "api-key.pepper=a-pepper-for-tests-only-32-characters-or-more", "api-key.hasher.type=hmac-sha256"})
class ReportControllerSliceTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService apiKeyService;

    @Test
    void aKeyWithTheScopeReadsReports() throws Exception {
        String key = apiKeyService.create(NewApiKey.named("reader").withScopes(List.of("reports:read"))).plaintext();

        mvc.perform(get("/reports").header("Authorization", "Bearer " + key))
                .andExpect(status().isOk()).andExpect(content().json("[\"Report for reader\"]"));
        mvc.perform(get("/reports")).andExpect(status().isUnauthorized());
    }
}
// end::slice-test-with-pepper[]
