package io.github.apikey.test.example;

import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.test.TestApiKeys;
import io.github.apikey.test.WithApiKey;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.RequestBuilder;

import tools.jackson.databind.json.JsonMapper;

import static io.github.apikey.test.ApiKeyRequestPostProcessors.apiKey;
import static io.github.apikey.test.TestApiKeys.bearer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A test key must be indistinguishable, to the application, from a real key that the starter's filter verified:
 * the same authentication (type, name, authorities, principal), the same answers from {@code @ApiKeyProtected},
 * {@code @PreAuthorize} and the access-denied handler, and the same refusals of inactive and expired keys.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles("test")
class SameAsTheRealFilterTests {

    private static final JsonMapper json = JsonMapper.builder().build();

    @Autowired
    MockMvc mvc;

    @Autowired
    TestApiKeys testApiKeys;

    @AfterEach
    void deleteKeys() {
        testApiKeys.deleteCreated();
    }

    @Test
    void thePostProcessorProducesWhatTheFilterProducesForARealKey() throws Exception {
        CreatedApiKey real = testApiKeys.create(NewApiKey.named("reader").withScopes(List.of("reports:read", "b"))
                .withOwnerId("tenant-7").withMetadata(Map.of("tier", "gold")));

        Map<String, Object> byFilter = whoami(get("/whoami").with(bearer(real)));
        Map<String, Object> byPostProcessor = whoami(get("/whoami").with(apiKey().id(real.apiKey().getId())
                .keyId(real.apiKey().getKeyId()).name("reader").scopes("reports:read", "b").ownerId("tenant-7")
                .metadata(Map.of("tier", "gold")).createdAt(real.apiKey().getCreatedAt())));

        assertThat(byFilter.get("type")).isEqualTo("io.github.apikey.spring.security.ApiKeyAuthenticationToken");
        assertThat(byFilter.get("authorities")).isEqualTo(List.of("SCOPE_reports:read", "SCOPE_b"));
        assertThat(byFilter.get("details")).isEqualTo(
                "io.github.apikey.spring.security.ApiKeyAuthenticationDetails");
        assertThat(byFilter.get("sameAsResolvedPrincipal")).isEqualTo(true);
        // The real key was used just now; a test key has no history.
        withoutLastUse(byFilter);
        withoutLastUse(byPostProcessor);
        assertThat(byPostProcessor).isEqualTo(byFilter);
    }

    @Test
    @WithApiKey(keyId = "fedcba9876543210", name = "annotated", scopes = {"reports:read", "b"}, ownerId = "tenant-7")
    void theAnnotationProducesWhatThePostProcessorProduces() throws Exception {
        Map<String, Object> byAnnotation = whoami(get("/whoami"));
        Map<String, Object> byPostProcessor = whoami(get("/whoami").with(apiKey().keyId("fedcba9876543210")
                .name("annotated").scopes("reports:read", "b").ownerId("tenant-7")));

        assertThat(byAnnotation.get("details")).isNull();
        byPostProcessor.remove("details");
        byAnnotation.remove("details");
        ignoreCreationTime(byAnnotation);
        ignoreCreationTime(byPostProcessor);
        assertThat(byAnnotation).isEqualTo(byPostProcessor);
        assertThat(byAnnotation.get("name")).isEqualTo("fedcba9876543210");
    }

    @Test
    @WithApiKey("reports:read")
    void theAnnotationsValueNamesTheScopes() throws Exception {
        mvc.perform(get("/reports"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$[0]").value("Report for test-key"));
    }

    @Test
    void preAuthorizeAndTheAccessDeniedHandlerAnswerTestKeysAsRealOnes() throws Exception {
        CreatedApiKey reader = testApiKeys.create("reader", "reports:read");
        for (RequestBuilder request : List.of(get("/reports/drafts").with(bearer(reader)),
                get("/reports/drafts").with(apiKey().scopes("reports:read")))) {
            mvc.perform(request)
                    .andExpect(status().isForbidden())
                    .andExpect(header().string("WWW-Authenticate",
                            "Bearer realm=\"api\", error=\"insufficient_scope\", "
                                    + "error_description=\"API key missing required scopes 'reports:write'\", "
                                    + "scope=\"reports:write\""))
                    .andExpect(jsonPath("$.missingScopes[0]").value("reports:write"));
        }
        CreatedApiKey editor = testApiKeys.create("editor", "reports:write");
        for (RequestBuilder request : List.of(get("/reports/drafts").with(bearer(editor)),
                get("/reports/drafts").with(apiKey().name("editor").scopes("reports:write")))) {
            mvc.perform(request).andExpect(status().isOk()).andExpect(jsonPath("$[0]").value("Draft by editor"));
        }
    }

    @Test
    void inactiveAndExpiredTestKeysAreRefusedAsRealOnes() throws Exception {
        CreatedApiKey inactive = testApiKeys.create(NewApiKey.named("off").withScopes(List.of("reports:read"))
                .withActive(false));
        assertSameAnswer(get("/reports").with(bearer(inactive)),
                get("/reports").with(apiKey().scopes("reports:read").inactive()));

        MvcResult expired = mvc.perform(get("/reports").with(apiKey().scopes("reports:read")
                .expiresAt(Instant.now().minusSeconds(1)))).andReturn();
        assertThat(expired.getResponse().getStatus()).isEqualTo(403);
        assertThat(expired.getResponse().getContentAsString()).contains("\"detail\":\"API key expired\"");
        MvcResult valid = mvc.perform(get("/reports").with(apiKey().scopes("reports:read")
                .expiresAt(Instant.now().plusSeconds(3600)))).andReturn();
        assertThat(valid.getResponse().getStatus()).isEqualTo(200);
    }

    private void assertSameAnswer(RequestBuilder real, RequestBuilder test) throws Exception {
        MvcResult byFilter = mvc.perform(real).andReturn();
        MvcResult byTestKey = mvc.perform(test).andReturn();
        assertThat(byTestKey.getResponse().getStatus()).isEqualTo(byFilter.getResponse().getStatus());
        assertThat(byTestKey.getResponse().getContentAsString())
                .isEqualTo(byFilter.getResponse().getContentAsString());
        assertThat(byTestKey.getResponse().getHeader("WWW-Authenticate"))
                .isEqualTo(byFilter.getResponse().getHeader("WWW-Authenticate"));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> whoami(RequestBuilder request) throws Exception {
        String body = mvc.perform(request).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return json.readValue(body, Map.class);
    }

    @SuppressWarnings("unchecked")
    private static void withoutLastUse(Map<String, Object> whoami) {
        ((Map<String, Object>) whoami.get("principal")).remove("lastUsedAt");
    }

    @SuppressWarnings("unchecked")
    private static void ignoreCreationTime(Map<String, Object> whoami) {
        ((Map<String, Object>) whoami.get("principal")).remove("createdAt");
    }
}
