package io.github.apikey.core.ratelimit;

import io.github.apikey.core.domain.RateLimit;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link RateLimiter} decided about one request.
 *
 * @param allowed    whether the request may proceed (one request was taken from every budget)
 * @param limits     every limit that applied, in order
 * @param governing  the limit with the fewest requests left: the one a client must heed
 * @param remaining  requests left under {@code governing} in its current window
 * @param reset      time until {@code governing}'s budget is restored
 * @param retryAfter when refused, time until a request may succeed; zero when allowed
 */
public record RateLimitDecision(boolean allowed, List<RateLimit> limits, RateLimit governing, long remaining,
                                Duration reset, Duration retryAfter) {

    public RateLimitDecision {
        limits = List.copyOf(limits);
        Objects.requireNonNull(governing, "governing");
        Objects.requireNonNull(reset, "reset");
        Objects.requireNonNull(retryAfter, "retryAfter");
    }
}
