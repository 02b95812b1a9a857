package io.github.apikey.spring.health;

import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.ratelimit.Bucket4jRateLimiter;
import io.github.apikey.core.ratelimit.RateLimiter;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.cache.RedisBroadcastingVerifiedKeyCache;
import io.github.apikey.spring.ratelimit.FailoverRateLimiter;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether keys can be verified: {@code DOWN} when the key store cannot answer (keys not cached yet are then refused
 * with 503). Details say which invalidation reaches this instance: {@code local}, or {@code redis} with whether the
 * subscription is up; a lost subscription leaves verification working, so it is a detail, not a status.
 *
 * <p>Details also say where rate limits are counted ({@code rateLimit.store}: {@code memory} or {@code redis}); with
 * Redis, whether it decides requests right now ({@code available}), what requests get while it cannot
 * ({@code onStoreFailure}) and whether that is the case ({@code fallbackActive}). Redis being away is a detail too:
 * keys without limits verify as before, and marking every instance down at once would take the whole service out.
 */
public class ApiKeyHealthIndicator extends AbstractHealthIndicator {

    /** No key has this id: looking it up costs one primary-key probe, whatever the size of the table. */
    private static final UUID PROBE = new UUID(0, 0);

    private final ApiKeyStore store;
    private final VerifiedKeyCache cache;
    private final RateLimiter rateLimiter;

    public ApiKeyHealthIndicator(ApiKeyStore store, VerifiedKeyCache cache) {
        this(store, cache, null);
    }

    /** @param rateLimiter the service's rate limiter, or {@code null} if unknown */
    public ApiKeyHealthIndicator(ApiKeyStore store, VerifiedKeyCache cache, RateLimiter rateLimiter) {
        super("API key verification health check failed");
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.rateLimiter = rateLimiter;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (cache instanceof RedisBroadcastingVerifiedKeyCache redis) {
            builder.withDetail("invalidation", "redis").withDetail("subscribed", redis.isSubscribed());
        } else {
            builder.withDetail("invalidation", "local");
        }
        if (rateLimiter != null) {
            builder.withDetail("rateLimit", rateLimitDetails());
        }
        store.findById(PROBE);
        builder.up().withDetail("store", store.toString());
    }

    private Map<String, Object> rateLimitDetails() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (rateLimiter instanceof FailoverRateLimiter shared) {
            details.put("store", "redis");
            details.put("available", shared.isStoreAvailable());
            details.put("onStoreFailure", shared.getOnFailure().name().toLowerCase(Locale.ROOT));
            details.put("fallbackActive", shared.isFallbackActive());
        } else if (rateLimiter instanceof Bucket4jRateLimiter) {
            details.put("store", "memory");
        } else {
            details.put("store", rateLimiter.getClass().getName());
        }
        return details;
    }
}
