package io.github.apikey.spring.security.app;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.InMemoryApiKeyStore;

import org.junit.jupiter.api.Test;

import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A user's {@code @WebMvcTest} slice gets the starter's key authentication. */
@WebMvcTest(controllers = GreetingController.class, properties = {"api-key.pepper=slice-pepper-0123456789abcdefghi",
        "api-key.hasher.type=hmac-sha256"})
class WebMvcSliceTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Test
    void keysAuthenticateInTheSlice() throws Exception {
        String key = service.create(NewApiKey.named("slice").withScopes(List.of("read"))).plaintext();

        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isOk()).andExpect(jsonPath("$.name").value("slice"));
        mvc.perform(get("/hello")).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key missing"));
        mvc.perform(get("/annotated/read-write").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key missing required scopes 'write'"));
        assertThat(service.toString()).contains(InMemoryApiKeyStore.class.getSimpleName());
    }
}
