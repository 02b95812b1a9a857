package io.github.apikey.spring.security;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Rate limits through the security filter: checked right after the key verified, before the controller; every
 * answer to a limited key carries {@code RateLimit-Policy} and {@code RateLimit}; a spent budget is a 429 problem
 * with {@code Retry-After}. Limits come from the key, else its scopes' configured limits, else the defaults.
 */
@SpringBootTest(classes = {SecuredApplication.class, RateLimitedRequestsTests.CountingController.class},
        properties = {"api-key.pepper=rate-limited-requests-pepper-0123456789", "api-key.hasher.type=hmac-sha256",
                "spring.datasource.generate-unique-name=true",
                "api-key.rate-limit.default[0].name=requests", "api-key.rate-limit.default[0].limit=3",
                "api-key.rate-limit.default[0].duration=1m",
                // A colon in a map key needs brackets, and in properties syntax an escape.
                "api-key.rate-limit.scopes[reports\\:read][0].name=reports",
                "api-key.rate-limit.scopes[reports\\:read][0].limit=2",
                "api-key.rate-limit.scopes[reports\\:read][0].duration=30s"})
@AutoConfigureMockMvc
class RateLimitedRequestsTests {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    MutableClock clock;

    @Autowired
    CountingController counting;

    @BeforeEach
    void now() {
        clock.set(NOW);
    }

    @Test
    void everyAnswerCarriesTheFieldsAndTheRequestOverTheLimitNeverReachesTheController() throws Exception {
        String key = service.create(NewApiKey.named("own limit")
                .withRateLimits(List.of(new RateLimit("requests", 2, Duration.ofMinutes(1))))).plaintext();
        int before = counting.calls.get();

        MockHttpServletResponse first = perform(withKey(get("/counted"), key));
        MockHttpServletResponse second = perform(withKey(get("/counted"), key));
        MockHttpServletResponse refused = perform(withKey(get("/counted"), key));

        assertThat(first.getStatus()).isEqualTo(200);
        assertThat(first.getHeader("RateLimit-Policy")).isEqualTo("\"requests\";q=2;w=60");
        assertThat(first.getHeader("RateLimit")).matches("\"requests\";r=1;t=(59|60)");
        assertThat(second.getHeader("RateLimit")).matches("\"requests\";r=0;t=(59|60)");
        assertThat(counting.calls.get() - before).as("controller calls").isEqualTo(2);

        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(refused.getContentAsString()).contains("\"type\":\"urn:api-key:problem:rate-limited\"")
                .contains("\"title\":\"Too Many Requests\"").contains("\"detail\":\"API key rate limit exceeded\"")
                .doesNotContain(key.substring(key.lastIndexOf('-') + 1));
        long retryAfter = Long.parseLong(refused.getHeader(HttpHeaders.RETRY_AFTER));
        assertThat(retryAfter).isBetween(1L, 60L);
        assertThat(refused.getHeader("RateLimit")).isEqualTo("\"requests\";r=0;t=" + retryAfter);
        assertThat(refused.getHeader("RateLimit-Policy")).isEqualTo("\"requests\";q=2;w=60");
        assertThat(refused.getHeader(HttpHeaders.WWW_AUTHENTICATE)).isNull();
        assertThat(counting.calls.get() - before).as("controller calls after the refusal").isEqualTo(2);
    }

    @Test
    void aKeyWithoutLimitsGetsItsScopesLimitsElseTheDefaults() throws Exception {
        String reader = service.create(NewApiKey.named("reader").withScopes(List.of("reports:read", "other")))
                .plaintext();
        String plain = service.create(NewApiKey.named("plain").withScopes(List.of("other"))).plaintext();

        assertThat(perform(withKey(get("/counted"), reader)).getHeader("RateLimit-Policy"))
                .isEqualTo("\"reports\";q=2;w=30");
        assertThat(perform(withKey(get("/counted"), reader)).getStatus()).isEqualTo(200);
        assertThat(perform(withKey(get("/counted"), reader)).getStatus()).isEqualTo(429);

        for (int i = 0; i < 3; i++) {
            MockHttpServletResponse accepted = perform(withKey(get("/counted"), plain));
            assertThat(accepted.getStatus()).isEqualTo(200);
            assertThat(accepted.getHeader("RateLimit-Policy")).isEqualTo("\"requests\";q=3;w=60");
        }
        assertThat(perform(withKey(get("/counted"), plain)).getStatus()).isEqualTo(429);
    }

    /**
     * {@code /verify} checks a key as the filter would, and counts it as the filter would (credits too): a gateway
     * that verifies each of its requests here spends the key's budget. The RateLimit fields of the answer stay the
     * caller's own; the refused key is told {@code Retry-After}.
     */
    @Test
    void theVerifyRouteSpendsTheCheckedKeysBudgetAndReportsTheCallersOwnFields() throws Exception {
        String admin = service.create(NewApiKey.named("gateway").withScopes(List.of("api-keys:admin"))
                .withRateLimits(List.of(new RateLimit("gateway", 1000, Duration.ofMinutes(1))))).plaintext();
        CreatedApiKey checked = service.create(NewApiKey.named("checked")
                .withRateLimits(List.of(new RateLimit("requests", 1, Duration.ofMinutes(1)))));
        String body = "{\"apiKey\":\"" + checked.plaintext() + "\"}";

        MockHttpServletResponse accepted = perform(withKey(post("/api-keys/verify"), admin)
                .contentType(MediaType.APPLICATION_JSON).content(body));
        MockHttpServletResponse refused = perform(withKey(post("/api-keys/verify"), admin)
                .contentType(MediaType.APPLICATION_JSON).content(body));

        assertThat(accepted.getStatus()).isEqualTo(200);
        assertThat(accepted.getHeader("RateLimit-Policy")).isEqualTo("\"gateway\";q=1000;w=60");
        assertThat(refused.getStatus()).isEqualTo(429);
        assertThat(refused.getContentAsString()).contains("urn:api-key:problem:rate-limited");
        assertThat(Long.parseLong(refused.getHeader(HttpHeaders.RETRY_AFTER))).isBetween(1L, 60L);
        assertThat(refused.getHeaders("RateLimit-Policy")).containsExactly("\"gateway\";q=1000;w=60");
        assertThat(refused.getHeaders("RateLimit")).singleElement().asString().startsWith("\"gateway\";r=998;");
        assertThat(perform(withKey(get("/counted"), checked.plaintext())).getStatus())
                .as("the budget /verify spent is the one the filter checks").isEqualTo(429);
    }

    /**
     * A client still on the secret a rotation replaced is told when it stops working; if the key itself expires
     * within the warning, the earlier end is announced, which is the grace period's (it never outlasts the key).
     */
    @Test
    void thePreviousSecretIsAnsweredWithSunsetAtTheEndOfItsGracePeriod() throws Exception {
        CreatedApiKey created = service.create(NewApiKey.named("rotating")
                .withExpiresAt(NOW.plus(Duration.ofDays(3))).withRateLimits(List.of(new RateLimit("requests", 100,
                        Duration.ofMinutes(1)))));
        CreatedApiKey rotated = service.rotate(created.apiKey().getId(), Duration.ofHours(1));

        assertThat(perform(withKey(get("/counted"), created.plaintext())).getHeader("Sunset"))
                .isEqualTo("Mon, 01 Jun 2026 11:00:00 GMT");
        assertThat(perform(withKey(get("/counted"), rotated.plaintext())).getHeader("Sunset"))
                .isEqualTo("Thu, 04 Jun 2026 10:00:00 GMT");

        CreatedApiKey lasting = service.create(NewApiKey.named("lasting"));
        CreatedApiKey lastingRotated = service.rotate(lasting.apiKey().getId(), Duration.ofDays(2));
        assertThat(perform(withKey(get("/counted"), lasting.plaintext())).getHeader("Sunset"))
                .isEqualTo("Wed, 03 Jun 2026 10:00:00 GMT");
        assertThat(perform(withKey(get("/counted"), lastingRotated.plaintext())).getHeader("Sunset")).isNull();
    }

    private MockHttpServletResponse perform(MockHttpServletRequestBuilder request) throws Exception {
        return mvc.perform(request).andReturn().getResponse();
    }

    private static MockHttpServletRequestBuilder withKey(MockHttpServletRequestBuilder request, String key) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }

    @RestController
    static class CountingController {

        final AtomicInteger calls = new AtomicInteger();

        @GetMapping("/counted")
        String counted() {
            calls.incrementAndGet();
            return "counted";
        }
    }
}
