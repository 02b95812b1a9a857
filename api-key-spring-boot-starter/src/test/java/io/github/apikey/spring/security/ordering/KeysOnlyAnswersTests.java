package io.github.apikey.spring.security.ordering;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** An application's own chain with API keys as its only mechanism, keys also accepted in {@code X-API-Key}. */
@SpringBootTest(classes = ChainApplications.KeysOnly.class, properties = {"api-key.pepper=ordering-test-pepper-0123456789a",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
        "api-key.security.header-name=X-API-Key"})
@AutoConfigureMockMvc
class KeysOnlyAnswersTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @ParameterizedTest(name = "Accept: {0}")
    @ValueSource(strings = {"", "*/*", "application/json", "text/html"})
    void aRequestWithoutAKeyIsToldBothWaysToPresentOne(String accept) throws Exception {
        MockHttpServletRequestBuilder request = get("/whoami");
        if (!accept.isEmpty()) {
            request.header(HttpHeaders.ACCEPT, accept);
        }
        mvc.perform(request).andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("API key missing"))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"api\", ApiKey header=\"X-API-Key\", realm=\"api\""));
    }

    @Test
    void aCsrfFailureWithoutAKeyIsSpringSecuritysOwnAnswer() throws Exception {
        MvcResult result = mvc.perform(post("/echo").contentType(MediaType.TEXT_PLAIN).content("x"))
                .andExpect(status().isForbidden()).andReturn();
        MixedChainAnswers.assertNotAnApiKeyAnswer(result);
    }

    @Test
    void aKeyDeniedByARuleThatNamesNoScopeIsAnsweredByApiKeys() throws Exception {
        String key = service.create(NewApiKey.named("plain")).plaintext();

        mvc.perform(get("/admin").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Access denied"))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"api\", error=\"insufficient_scope\", error_description=\"Access denied\""));
    }
}
