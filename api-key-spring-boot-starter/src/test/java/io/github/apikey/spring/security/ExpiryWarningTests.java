package io.github.apikey.spring.security;

import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code api-key.expiry-warning} sets how long before its expiry a key's answers carry {@code Sunset}; see
 * {@code KeyRestrictionsAndCreditsTests} for the default of seven days.
 */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=expiry-warning-pepper-0123456789ab",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true", "api-key.expiry-warning=1d"})
@AutoConfigureMockMvc
class ExpiryWarningTests {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    MutableClock clock;

    @Test
    void thePropertySetsHowEarlyTheWarningComes() throws Exception {
        clock.set(NOW);
        String tomorrow = service.create(NewApiKey.named("tomorrow").withExpiresAt(NOW.plus(Duration.ofHours(24))))
                .plaintext();
        String dayAfter = service.create(NewApiKey.named("day after")
                .withExpiresAt(NOW.plus(Duration.ofHours(24)).plusSeconds(1))).plaintext();

        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + tomorrow))
                .andExpect(status().isOk())
                .andExpect(header().string(ApiKeyAuthenticationFilter.SUNSET, "Tue, 02 Jun 2026 00:00:00 GMT"));
        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + dayAfter))
                .andExpect(status().isOk()).andExpect(header().doesNotExist(ApiKeyAuthenticationFilter.SUNSET));
    }

    /** The filter alone, with the in-memory store: a warning of zero turns the header off. */
    @Test
    void aWarningOfZeroSendsNoHeader() throws Exception {
        MutableClock ownClock = new MutableClock(NOW);
        ApiKeyService ownService = ApiKeyService.builder(new InMemoryApiKeyStore(),
                new HmacSha256ApiKeyHasher("expiry-warning-pepper-0123456789ab")).clock(ownClock).build();
        String key = ownService.create(NewApiKey.named("expiring").withExpiresAt(NOW.plusSeconds(60))).plaintext();
        ApiKeyAuthenticationFilter filter = new ApiKeyAuthenticationFilter(
                new ProviderManager(new ApiKeyAuthenticationProvider(ownService)),
                new ApiKeyAuthenticationConverter(ownService.getFormat(), null),
                new ApiKeyAuthenticationEntryPoint(ApiKeySecuritySettings.DEFAULTS, ownClock));
        filter.setClock(ownClock);

        filter.setExpiryWarning(Duration.ZERO);
        assertThat(sunset(filter, key)).isNull();
        filter.setExpiryWarning(Duration.ofMinutes(1));
        assertThat(sunset(filter, key)).isEqualTo("Mon, 01 Jun 2026 00:01:00 GMT");
    }

    private static String sunset(ApiKeyAuthenticationFilter filter, String key) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest("GET", "/hello");
        request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + key);
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(request, response, new MockFilterChain());
        assertThat(response.getStatus()).isEqualTo(200);
        return response.getHeader(ApiKeyAuthenticationFilter.SUNSET);
    }
}
