package io.github.apikey.spring.error;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.ratelimit.RateLimitDecision;

import java.time.Duration;
import java.util.Objects;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;

/**
 * The rate-limit fields of an answer, as the IETF draft "RateLimit header fields for HTTP" defines them in its
 * revision {@value #DRAFT} (23 May 2026; same syntax as -09 and -10): two Structured Field lists (RFC 9651).
 *
 * <ul>
 *   <li>{@code RateLimit-Policy}: every limit that applies to the key, as a quota policy named after the limit, with
 *   its quota {@code q} and window {@code w} in seconds: {@code "requests";q=100;w=60, "daily";q=1000;w=86400}.</li>
 *   <li>{@code RateLimit}: the limit the client must heed (the one with the fewest requests left), with the requests
 *   left {@code r} and the seconds {@code t} within which no more than those may be made:
 *   {@code "requests";r=42;t=17}. The draft lets a server report the closest limit only (its appendix B.1.2).</li>
 * </ul>
 *
 * On a refusal, {@code Retry-After} is the whole seconds until a request may pass (rounded up, at least 1), and
 * {@code t} says the same moment, since the draft asks that {@code Retry-After} not point before the end of the
 * effective window. Windows that are no whole number of seconds are rounded up too: a client that waits as told is
 * never early. Limit names are tokens ({@code [a-z][a-z0-9_-]*}), so they need no escaping in a String item.
 */
public final class RateLimitHeaders {

    /** The revision of the draft these fields follow. */
    public static final String DRAFT = "draft-ietf-httpapi-ratelimit-headers-11";

    public static final String RATE_LIMIT_POLICY = "RateLimit-Policy";

    public static final String RATE_LIMIT = "RateLimit";

    private RateLimitHeaders() {
    }

    /** {@code RateLimit-Policy}: every limit that applied. */
    public static String policy(RateLimitDecision decision) {
        return decision.limits().stream()
                .map(limit -> item(limit) + ";q=" + limit.limit() + ";w=" + secondsRoundedUp(limit.duration()))
                .collect(Collectors.joining(", "));
    }

    /** {@code RateLimit}: what is left of the governing limit, and for how long. */
    public static String rateLimit(RateLimitDecision decision) {
        long seconds = decision.allowed() ? secondsRoundedUp(decision.reset()) : retryAfterSeconds(decision);
        return item(decision.governing()) + ";r=" + decision.remaining() + ";t=" + seconds;
    }

    /** Whole seconds until a refused request may pass: rounded up, so a client that waits is not early; at least 1. */
    public static long retryAfterSeconds(RateLimitDecision decision) {
        return Math.max(1, secondsRoundedUp(decision.retryAfter()));
    }

    /**
     * The fields of {@code decision}: {@code RateLimit-Policy} and {@code RateLimit}, and {@code Retry-After} when it
     * refused the request.
     */
    public static HttpHeaders of(RateLimitDecision decision) {
        Objects.requireNonNull(decision, "decision");
        HttpHeaders headers = new HttpHeaders();
        headers.set(RATE_LIMIT_POLICY, policy(decision));
        headers.set(RATE_LIMIT, rateLimit(decision));
        if (!decision.allowed()) {
            headers.set(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(decision)));
        }
        return headers;
    }

    private static String item(RateLimit limit) {
        return '"' + limit.name() + '"';
    }

    private static long secondsRoundedUp(Duration duration) {
        if (duration.isNegative()) {
            return 0;
        }
        return duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
    }
}
