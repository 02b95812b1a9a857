package io.github.apikey.core.ratelimit;

import io.github.apikey.core.domain.RateLimit;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Counts requests against a key's rate limits. Implementations are thread-safe; those that share budgets between
 * instances (on Redis, say) decide every request atomically, so that no window admits more than its limit.
 */
public interface RateLimiter {

    /**
     * Takes one request from key {@code keyId}'s budget under every one of {@code limits}, or none if any budget is
     * spent.
     *
     * @param keyId  the key's id
     * @param limits the limits that apply to the key, not empty
     * @return whether the request may proceed, and the state of the budgets for response headers; or {@code null}
     *         when the request was let through without being counted (a shared limiter whose store is down and that
     *         is configured to allow requests meanwhile), so that no budget is reported that was not checked
     * @throws io.github.apikey.core.error.ApiKeyStoreException if the budgets cannot be reached
     */
    RateLimitDecision tryConsume(UUID keyId, List<RateLimit> limits);

    /**
     * As {@link #tryConsume(UUID, List)}, at {@code now}: the time the caller already read for this request. A
     * limiter in memory counts on it, so that a request reads the clock once and budgets follow the caller's clock;
     * one whose store keeps time itself may ignore it, as this default does.
     */
    default RateLimitDecision tryConsume(UUID keyId, List<RateLimit> limits, Instant now) {
        return tryConsume(keyId, limits);
    }
}
