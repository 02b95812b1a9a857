package io.github.apikey.spring.security.mixed;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;

import org.junit.jupiter.api.Test;

import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The README's chain: API keys beside HTTP Basic, in the application's own SecurityFilterChain. */
@SpringBootTest(classes = MixedApplication.class, properties = {"api-key.pepper=mixed-test-pepper-0123456789abcd",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
        "api-key.security.header-name=X-API-Key"})
@AutoConfigureMockMvc
class MixedSecurityChainTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    ApplicationContext context;

    @Test
    void theDefaultChainBacksOffForTheApplicationsOwn() {
        assertThat(context.containsBean("apiKeySecurityFilterChain")).isFalse();
        assertThat(context.getBeansOfType(SecurityFilterChain.class)).containsOnlyKeys("securityFilterChain");
    }

    @Test
    void acceptsHttpBasicAndApiKeysSideBySide() throws Exception {
        String key = service.create(NewApiKey.named("robot")).plaintext();

        mvc.perform(get("/whoami").with(httpBasic("alice", "secret")))
                .andExpect(status().isOk()).andExpect(content().string("alice"));
        mvc.perform(get("/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isOk()).andExpect(content().string(new io.github.apikey.core.format.ApiKeyFormat()
                        .parse(key).keyId()));
        mvc.perform(get("/whoami").with(httpBasic("alice", "wrong"))).andExpect(status().isUnauthorized());
        mvc.perform(get("/whoami")).andExpect(status().isUnauthorized());
        mvc.perform(get("/public")).andExpect(status().isOk()).andExpect(content().string("public"));
    }

    @Test
    void theAnnotatedEndpointWantsAKeyWithItsScopeNotAPassword() throws Exception {
        String reader = service.create(NewApiKey.named("reader").withScopes(List.of("reports:read"))).plaintext();
        String other = service.create(NewApiKey.named("other")).plaintext();

        mvc.perform(get("/reports").header(HttpHeaders.AUTHORIZATION, "Bearer " + reader))
                .andExpect(status().isOk()).andExpect(jsonPath("$[0]").value("Report for reader"));
        mvc.perform(get("/reports").header(HttpHeaders.AUTHORIZATION, "Bearer " + other))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key missing required scopes 'reports:read'"));
        mvc.perform(get("/reports").with(httpBasic("alice", "secret")))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key missing"));
    }

    @Test
    void csrfStillGuardsPasswordRequestsButNotKeyRequests() throws Exception {
        String key = service.create(NewApiKey.named("robot")).plaintext();

        mvc.perform(post("/echo").with(httpBasic("alice", "secret")).contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/echo").with(httpBasic("alice", "secret")).with(csrf())
                        .contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isOk());
        mvc.perform(post("/echo").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                        .contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isOk()).andExpect(content().string("x"));
        mvc.perform(post("/echo").header("X-API-Key", key).contentType(MediaType.TEXT_PLAIN).content("y"))
                .andExpect(status().isOk()).andExpect(content().string("y"));
    }

    @Test
    void theApiKeyHeaderWorksWhenConfiguredAndTakesAnyValueAsAKey() throws Exception {
        String key = service.create(NewApiKey.named("header")).plaintext();

        mvc.perform(get("/whoami").header("X-API-Key", key)).andExpect(status().isOk());
        mvc.perform(get("/whoami").header("X-API-Key", "not-a-key"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key invalid"));
        mvc.perform(get("/whoami").header("X-API-Key", key).header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key invalid"));
    }
}
