package io.github.apikey.spring.security;

import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * What the security filter does with a key's restrictions, credits and expiry: the client address is the request's
 * remote address (see {@code ForwardedHeadersTests} for proxies), the origin its {@code Origin} header; a refusal is
 * a 403 naming the restriction, never the allowed values; used-up credits a 429 with {@code Retry-After}.
 */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=restrictions-test-pepper-0123456789",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class KeyRestrictionsAndCreditsTests {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    MutableClock clock;

    @BeforeEach
    void now() {
        clock.set(NOW);
    }

    @Test
    void aKeyRestrictedToIpRangesIsUsableFromThemOnly() throws Exception {
        String key = service.create(NewApiKey.named("office")
                .withAllowedIps(List.of("203.0.113.0/24", "2001:db8::/32"))).plaintext();

        ok(mvc.perform(withKey(get("/hello"), key).with(from("203.0.113.77"))));
        ok(mvc.perform(withKey(get("/hello"), key).with(from("2001:db8:0:0:0:0:0:5"))));
        String refused = refused(mvc.perform(withKey(get("/hello"), key).with(from("198.51.100.7"))), 403,
                "address-not-allowed", "API key not allowed from this IP address");
        refused(mvc.perform(withKey(get("/hello"), key).with(from("0:0:0:0:0:0:0:1"))), 403,
                "address-not-allowed", "API key not allowed from this IP address");
        assertThat(refused).doesNotContain("203.0.113", "2001:db8", "198.51.100");
    }

    /** A remote address that is no address literal (a unix socket, a broken proxy) is an unknown address. */
    @Test
    void aRestrictedKeyIsRefusedWhenTheClientAddressIsUnknown() throws Exception {
        String key = service.create(NewApiKey.named("office").withAllowedIps(List.of("0.0.0.0/0", "::/0")))
                .plaintext();

        ok(mvc.perform(withKey(get("/hello"), key).with(from("192.0.2.1"))));
        refused(mvc.perform(withKey(get("/hello"), key).with(from("proxy.internal"))), 403,
                "address-not-allowed", "API key not allowed from this IP address");
    }

    @Test
    void aKeyRestrictedToOriginsNeedsOneOfThemAndFailsClosedWithoutOne() throws Exception {
        String key = service.create(NewApiKey.named("browser")
                .withAllowedOrigins(List.of("https://app.example.com"))).plaintext();

        ok(mvc.perform(withKey(get("/hello"), key).header(HttpHeaders.ORIGIN, "https://app.example.com")));
        ok(mvc.perform(withKey(get("/hello"), key).header(HttpHeaders.ORIGIN, "HTTPS://App.Example.com:443")));
        String refused = refused(mvc.perform(withKey(get("/hello"), key)
                        .header(HttpHeaders.ORIGIN, "https://app.example.com.evil.example")), 403,
                "origin-not-allowed", "API key not allowed from this origin");
        assertThat(refused).doesNotContain("app.example.com");
        refused(mvc.perform(withKey(get("/hello"), key)), 403, "origin-not-allowed",
                "API key not allowed from this origin");
        refused(mvc.perform(withKey(get("/hello"), key).header(HttpHeaders.ORIGIN, "null")), 403,
                "origin-not-allowed", "API key not allowed from this origin");
        refused(mvc.perform(withKey(get("/hello"), key).header(HttpHeaders.ORIGIN, "https://app.example.com",
                "https://evil.example")), 403, "origin-not-allowed", "API key not allowed from this origin");
    }

    /** The restriction is checked before credits, so that a refused request spends nothing. */
    @Test
    void creditsCountDownAreVisibleToTheControllerAndRunOutWith429() throws Exception {
        String key = service.create(NewApiKey.named("metered").withOwnerId("tenant-7")
                .withMetadata(Map.of("tier", "gold")).withAllowedIps(List.of("203.0.113.0/24"))
                .withCredits(2L, null)).plaintext();

        refused(mvc.perform(withKey(get("/me"), key).with(from("198.51.100.7"))), 403, "address-not-allowed",
                "API key not allowed from this IP address");
        mvc.perform(withKey(get("/me"), key).with(from("203.0.113.5"))).andExpect(status().isOk())
                .andExpect(content().json("{\"ownerId\":\"tenant-7\",\"tier\":\"gold\",\"remaining\":1}"));
        mvc.perform(withKey(get("/me"), key).with(from("203.0.113.5"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.remaining").value(0));
        refused(mvc.perform(withKey(get("/me"), key).with(from("203.0.113.5"))), 429, "usage-exceeded",
                "API key usage exceeded");
        mvc.perform(withKey(get("/me"), key).with(from("203.0.113.5")))
                .andExpect(status().isTooManyRequests())
                .andExpect(header().doesNotExist(HttpHeaders.RETRY_AFTER))
                .andExpect(header().doesNotExist(HttpHeaders.WWW_AUTHENTICATE));
    }

    @Test
    void aRefilledKeyIsToldWhenToRetryAndWorksAgainAfterTheRefill() throws Exception {
        String key = service.create(NewApiKey.named("daily")
                .withCredits(1L, new CreditRefill(3, CreditRefill.Interval.DAILY))).plaintext();

        ok(mvc.perform(withKey(get("/hello"), key)));
        assertThat(refused(mvc.perform(withKey(get("/hello"), key)), 429, "usage-exceeded", "API key usage exceeded"))
                .contains("\"title\":\"Too Many Requests\"");
        // 10:00 UTC: 14 hours to the next UTC midnight.
        mvc.perform(withKey(get("/hello"), key)).andExpect(header().string(HttpHeaders.RETRY_AFTER, "50400"));
        clock.advance(Duration.ofHours(13).plusMinutes(59).plusSeconds(59).plusMillis(500));
        mvc.perform(withKey(get("/hello"), key)).andExpect(header().string(HttpHeaders.RETRY_AFTER, "1"));

        clock.advance(Duration.ofSeconds(1));
        mvc.perform(withKey(get("/me"), key)).andExpect(status().isOk()).andExpect(jsonPath("$.remaining").value(2));
    }

    @Test
    void aKeyExpiringWithinTheWarningTellsItsClientWhenWithSunset() throws Exception {
        Instant soon = NOW.plus(Duration.ofDays(3)).plusMillis(250);
        String expiring = service.create(NewApiKey.named("expiring").withExpiresAt(soon)).plaintext();
        String later = service.create(NewApiKey.named("later").withExpiresAt(NOW.plus(Duration.ofDays(8))))
                .plaintext();
        String never = service.create(NewApiKey.named("never")).plaintext();

        var answer = mvc.perform(withKey(get("/hello"), expiring)).andExpect(status().isOk())
                .andExpect(header().string(ApiKeyAuthenticationFilter.SUNSET, "Thu, 04 Jun 2026 10:00:00 GMT"))
                .andReturn().getResponse();
        assertThat(answer.getDateHeader(ApiKeyAuthenticationFilter.SUNSET))
                .isEqualTo(soon.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toEpochMilli());
        // Also on an answer the application refuses: it is about the key, not the route.
        mvc.perform(withKey(get("/annotated/read"), expiring)).andExpect(status().isForbidden())
                .andExpect(header().exists(ApiKeyAuthenticationFilter.SUNSET));
        mvc.perform(withKey(get("/hello"), later)).andExpect(status().isOk())
                .andExpect(header().doesNotExist(ApiKeyAuthenticationFilter.SUNSET));
        mvc.perform(withKey(get("/hello"), never)).andExpect(status().isOk())
                .andExpect(header().doesNotExist(ApiKeyAuthenticationFilter.SUNSET));

        clock.advance(Duration.ofDays(1));
        mvc.perform(withKey(get("/hello"), later)).andExpect(status().isOk())
                .andExpect(header().string(ApiKeyAuthenticationFilter.SUNSET, "Tue, 09 Jun 2026 10:00:00 GMT"));
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    private static MockHttpServletRequestBuilder withKey(MockHttpServletRequestBuilder request, String key) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }

    private static void ok(ResultActions actions) throws Exception {
        actions.andExpect(status().isOk());
    }

    /** @return the answer's body */
    private static String refused(ResultActions actions, int status, String kind, String detail) throws Exception {
        return actions.andExpect(status().is(status))
                .andExpect(header().string(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                .andExpect(jsonPath("$.type").value("urn:api-key:problem:" + kind))
                .andExpect(jsonPath("$.detail").value(detail))
                .andReturn().getResponse().getContentAsString();
    }
}
