package io.github.apikey.spring.ratelimit;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.ratelimit.RateLimitDecision;
import io.github.apikey.core.ratelimit.RateLimiter;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rate limits shared by every instance on a {@link RedisRateLimitStore}, and what happens while it cannot be
 * reached, by {@link OnFailure}: count in this instance's memory, refuse limited keys as unverifiable (503), or let
 * them through uncounted. Decisions go back to Redis with the first request after it answers again.
 *
 * <p>One WARN when an outage starts and one INFO when it ends, never one per request. {@link #getStoreFailures()}
 * counts the requests that could not be decided on Redis, and {@link #isFallbackActive()} says whether requests are
 * decided the {@link OnFailure} way right now, for health and metrics.
 */
public final class FailoverRateLimiter implements RateLimiter {

    /** What a request of a limited key gets while the shared store cannot be reached. */
    public enum OnFailure {

        /** Counted in this instance's memory: each instance allows the full limit until the store is back. */
        LOCAL,

        /** Refused as unverifiable: answered 503, as when keys cannot be looked up. */
        REJECT,

        /** Let through uncounted, without rate-limit headers. */
        ALLOW
    }

    private static final Logger log = LoggerFactory.getLogger(FailoverRateLimiter.class);

    private final RedisRateLimitStore store;
    private final RateLimiter local;
    private final OnFailure onFailure;
    private final AtomicBoolean outage = new AtomicBoolean();
    private final AtomicLong storeFailures = new AtomicLong();

    /**
     * @param store     where budgets are shared
     * @param local     the in-memory limiter used with {@link OnFailure#LOCAL}
     * @param onFailure what requests get while {@code store} cannot be reached
     */
    public FailoverRateLimiter(RedisRateLimitStore store, RateLimiter local, OnFailure onFailure) {
        this.store = Objects.requireNonNull(store, "store");
        this.local = Objects.requireNonNull(local, "local");
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure");
    }

    @Override
    public RateLimitDecision tryConsume(UUID keyId, List<RateLimit> limits) {
        return tryConsume(keyId, limits, Instant.now());
    }

    /** {@code now} counts only in the local fallback: Bucket4j's Redis integration reads the system clock itself. */
    @Override
    public RateLimitDecision tryConsume(UUID keyId, List<RateLimit> limits, Instant now) {
        RateLimitDecision decision;
        try {
            decision = store.tryConsume(keyId, limits);
        } catch (ApiKeyStoreException unreachable) {
            return failedOver(keyId, limits, now, unreachable);
        }
        if (outage.compareAndSet(true, false)) {
            log.info("The rate-limit store (Redis) answers again: rate limits are shared by every instance again");
        }
        return decision;
    }

    private RateLimitDecision failedOver(UUID keyId, List<RateLimit> limits, Instant now,
                                         ApiKeyStoreException unreachable) {
        storeFailures.incrementAndGet();
        if (outage.compareAndSet(false, true)) {
            // The cause's text names the host and the failure, never a key: no secret reaches the log.
            log.warn("The rate-limit store (Redis) cannot be reached ({}): until it answers, {}.",
                    unreachable.getCause() != null ? unreachable.getCause().toString() : unreachable.getMessage(),
                    consequence());
        }
        return switch (onFailure) {
            case LOCAL -> local.tryConsume(keyId, limits, now);
            case REJECT -> throw unreachable;
            case ALLOW -> null;
        };
    }

    private String consequence() {
        return switch (onFailure) {
            case LOCAL -> "each instance counts rate limits in its own memory (api-key.rate-limit.on-store-failure"
                    + "=local), so a key may get its limit on every instance";
            case REJECT -> "requests of rate-limited keys are answered 503 (api-key.rate-limit.on-store-failure"
                    + "=reject)";
            case ALLOW -> "requests of rate-limited keys are let through uncounted (api-key.rate-limit"
                    + ".on-store-failure=allow)";
        };
    }

    /** Whether requests of limited keys are decided the {@link OnFailure} way right now. */
    public boolean isFallbackActive() {
        return !store.isAvailable();
    }

    /** Whether the shared store decides requests right now. */
    public boolean isStoreAvailable() {
        return store.isAvailable();
    }

    /** Requests of limited keys that could not be decided on the shared store since start-up. */
    public long getStoreFailures() {
        return storeFailures.get();
    }

    public OnFailure getOnFailure() {
        return onFailure;
    }

    @Override
    public String toString() {
        return "FailoverRateLimiter[store=" + store + ", onFailure=" + onFailure + "]";
    }
}
