package io.github.apikey.spring.error;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.error.RateLimitExceededException;
import io.github.apikey.core.ratelimit.Bucket4jRateLimiter;
import io.github.apikey.core.ratelimit.RateLimitDecision;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fields of draft-ietf-httpapi-ratelimit-headers-11, written exactly: Structured Field lists of String items
 * with Integer parameters, seconds rounded up.
 */
class RateLimitHeadersTests {

    private static final RateLimit PER_MINUTE = new RateLimit("requests", 100, Duration.ofMinutes(1));
    private static final RateLimit PER_DAY = new RateLimit("daily", 1000, Duration.ofDays(1));

    @Test
    void anAcceptedRequestIsToldThePolicyAndWhatIsLeftOfTheGoverningLimit() {
        RateLimitDecision decision = new RateLimitDecision(true, List.of(PER_MINUTE, PER_DAY), PER_MINUTE, 42,
                Duration.ofMillis(16_200), Duration.ZERO);

        HttpHeaders headers = RateLimitHeaders.of(decision);

        assertThat(headers.get("RateLimit-Policy")).containsExactly("\"requests\";q=100;w=60, \"daily\";q=1000;w=86400");
        assertThat(headers.get("RateLimit")).containsExactly("\"requests\";r=42;t=17");
        assertThat(headers.containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
    }

    @Test
    void aRefusalSaysWhenToRetryInWholeSecondsAndTheEffectiveWindowEndsThen() {
        RateLimitDecision refused = new RateLimitDecision(false, List.of(PER_MINUTE), PER_MINUTE, 0,
                Duration.ofMillis(2_100), Duration.ofMillis(2_100));

        HttpHeaders headers = RateLimitHeaders.of(refused);

        assertThat(headers.getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("3");
        assertThat(headers.getFirst("RateLimit")).isEqualTo("\"requests\";r=0;t=3");
        assertThat(headers.getFirst("RateLimit-Policy")).isEqualTo("\"requests\";q=100;w=60");
    }

    /** A wait that rounds to nothing would have the client retry at once and be refused again. */
    @Test
    void retryAfterIsAtLeastOneSecondAndWindowsOfFractionalSecondsRoundUp() {
        RateLimit oddWindow = new RateLimit("burst", 5, Duration.ofMillis(1_500));
        RateLimitDecision refused = new RateLimitDecision(false, List.of(oddWindow), oddWindow, 0, Duration.ZERO,
                Duration.ZERO);

        assertThat(RateLimitHeaders.retryAfterSeconds(refused)).isEqualTo(1);
        assertThat(RateLimitHeaders.policy(refused)).isEqualTo("\"burst\";q=5;w=2");
    }

    @Test
    void aRateLimitedKeysErrorCarriesTheFieldsAndItsOwnProblemType() {
        Bucket4jRateLimiter limiter = new Bucket4jRateLimiter();
        UUID key = UUID.randomUUID();
        RateLimit onePerMinute = new RateLimit("requests", 1, Duration.ofMinutes(1));
        limiter.tryConsume(key, List.of(onePerMinute));
        RateLimitDecision refused = limiter.tryConsume(key, List.of(onePerMinute));

        ApiKeyError error = ApiKeyError.of(new RateLimitExceededException(refused));

        assertThat(error.getStatus().value()).isEqualTo(429);
        assertThat(error.getDetail()).isEqualTo("API key rate limit exceeded");
        assertThat(error.isChallenged()).isFalse();
        assertThat(error.toProblemDetail().getType()).hasToString("urn:api-key:problem:rate-limited");
        HttpHeaders headers = error.getHeaders(Instant.now());
        assertThat(Long.parseLong(headers.getFirst(HttpHeaders.RETRY_AFTER))).isBetween(59L, 60L);
        assertThat(headers.getFirst("RateLimit")).matches("\"requests\";r=0;t=(59|60)");
        assertThat(headers.getFirst("RateLimit-Policy")).isEqualTo("\"requests\";q=1;w=60");
    }
}
