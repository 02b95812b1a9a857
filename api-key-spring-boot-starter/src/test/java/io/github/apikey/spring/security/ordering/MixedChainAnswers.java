package io.github.apikey.spring.security.ordering;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Who answers which request in a chain with HTTP Basic and API keys. Run once per order of the DSL calls: the
 * answers must not depend on it.
 */
abstract class MixedChainAnswers {


    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @ParameterizedTest(name = "Accept: {0}")
    @ValueSource(strings = {"", "*/*", "application/json", "application/problem+json", "text/html",
            "application/xml"})
    void aRequestWithoutCredentialsGetsTheOtherMechanismsChallengeWhateverItAccepts(String accept) throws Exception {
        MockHttpServletRequestBuilder request = get("/whoami");
        if (!accept.isEmpty()) {
            request.header(HttpHeaders.ACCEPT, accept);
        }
        mvc.perform(request).andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"Realm\""));
    }

    @Test
    void aRequestWithAKeyIsAnsweredByApiKeysAndOpensNoSession() throws Exception {
        ApiKeyFormat format = new ApiKeyFormat();
        String unknown = format.format(format.newKeyId(), format.newSecret());

        for (String accept : new String[] {"text/html", "application/json", "*/*"}) {
            MvcResult result = mvc.perform(get("/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer " + unknown)
                            .header(HttpHeaders.ACCEPT, accept))
                    .andExpect(status().isUnauthorized())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail").value("API key invalid"))
                    .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                            "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"API key invalid\""))
                    .andReturn();
            assertThat(result.getRequest().getSession(false)).isNull();
            assertThat(result.getResponse().getHeader(HttpHeaders.SET_COOKIE)).isNull();
        }
    }

    @Test
    void aKeyInTheDedicatedHeaderIsRefusedWithAChallengeThatNamesTheHeader() throws Exception {
        mvc.perform(get("/whoami").header("X-API-Key", "not-a-key"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key invalid"))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"X-API-Key\", realm=\"api\", "
                        + "error=\"invalid_token\", error_description=\"API key invalid\""));
    }

    @Test
    void aBearerTokenThatIsNoKeyIsAnInvalidCredentialWhenNothingElseTakesBearerTokens() throws Exception {
        mvc.perform(get("/whoami").header(HttpHeaders.AUTHORIZATION, "Bearer eyJhbGciOiJIUzI1NiJ9.e30.x"))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key invalid"))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"API key invalid\""));
    }

    @Test
    void aCsrfFailureOfAPasswordUserIsSpringSecuritysOwnAnswer() throws Exception {
        MvcResult result = mvc.perform(post("/echo").with(httpBasic("alice", "secret"))
                        .contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isForbidden()).andReturn();
        assertNotAnApiKeyAnswer(result);
    }

    @Test
    void aRuleThatDeniesAPasswordUserIsSpringSecuritysOwnAnswer() throws Exception {
        MvcResult result = mvc.perform(get("/admin").with(httpBasic("alice", "secret")))
                .andExpect(status().isForbidden()).andReturn();
        assertNotAnApiKeyAnswer(result);
    }

    @Test
    void aKeyWithoutTheRequiredScopeIsAnsweredByApiKeys() throws Exception {
        String key = service.create(NewApiKey.named("no-scope")).plaintext();

        mvc.perform(get("/reports").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key missing required scopes 'reports:read'"));
        mvc.perform(get("/reports").header("X-API-Key", key))
                .andExpect(status().isForbidden())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "ApiKey header=\"X-API-Key\", realm=\"api\", "
                        + "error=\"insufficient_scope\", error_description=\"API key missing required scopes "
                        + "'reports:read'\", scope=\"reports:read\""));
    }

    @Test
    void aPasswordUserOnAnEndpointThatWantsAKeyIsToldSo() throws Exception {
        mvc.perform(get("/reports").with(httpBasic("alice", "secret")))
                .andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key missing"));
    }

    /** Spring Security's AccessDeniedHandlerImpl: a 403 error with its reason phrase, not an API key problem. */
    static void assertNotAnApiKeyAnswer(MvcResult result) {
        assertThat(result.getResponse().getContentType()).isNull();
        assertThat(result.getResponse().getErrorMessage()).isEqualTo("Forbidden");
        assertThat(result.getResponse().getHeader(HttpHeaders.WWW_AUTHENTICATE)).isNull();
    }
}
