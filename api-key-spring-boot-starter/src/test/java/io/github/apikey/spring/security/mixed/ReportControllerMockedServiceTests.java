package io.github.apikey.spring.security.mixed;

// The README shows the code between the tag lines verbatim; ReadmeSnippetTests keeps the two equal.
// tag::slice-test-with-mock[]
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.VerificationContext;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.test.context.bean.override.mockito.MockitoBean;
import org.springframework.test.web.servlet.MockMvc;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.BDDMockito.given;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

@WebMvcTest(ReportController.class)
class ReportControllerMockedServiceTests {

    @Autowired
    MockMvc mvc;

    @MockitoBean
    ApiKeyService apiKeyService;

    @Test
    void theControllerSeesTheKeyThatTheServiceVerified() throws Exception {
        ApiKey reader = ApiKey.builder().id(UUID.randomUUID()).keyId("0123456789abcdef").keyHash("unused")
                .secretFirst("abcd").secretLast("wxyz").createdAt(Instant.now())
                .name("reader").scopes(List.of("reports:read")).build();
        given(apiKeyService.verify(eq("ak_v1-reader"), any(VerificationContext.class))).willReturn(reader);

        mvc.perform(get("/reports").header("Authorization", "Bearer ak_v1-reader"))
                .andExpect(status().isOk()).andExpect(content().json("[\"Report for reader\"]"));
        mvc.perform(get("/reports").header("Authorization", "Bearer ak_v1-stranger"))
                .andExpect(status().isUnauthorized());
    }
}
// end::slice-test-with-mock[]
