package io.github.apikey.spring.health;

import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.cache.RedisBroadcastingVerifiedKeyCache;

import java.util.Objects;
import java.util.UUID;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Whether keys can be verified: {@code DOWN} when the key store cannot answer (keys not cached yet are then refused
 * with 503). Details say which invalidation reaches this instance: {@code local}, or {@code redis} with whether the
 * subscription is up; a lost subscription leaves verification working, so it is a detail, not a status.
 */
public class ApiKeyHealthIndicator extends AbstractHealthIndicator {

    /** No key has this id: looking it up costs one primary-key probe, whatever the size of the table. */
    private static final UUID PROBE = new UUID(0, 0);

    private final ApiKeyStore store;
    private final VerifiedKeyCache cache;

    public ApiKeyHealthIndicator(ApiKeyStore store, VerifiedKeyCache cache) {
        super("API key verification health check failed");
        this.store = Objects.requireNonNull(store, "store");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (cache instanceof RedisBroadcastingVerifiedKeyCache redis) {
            builder.withDetail("invalidation", "redis").withDetail("subscribed", redis.isSubscribed());
        } else {
            builder.withDetail("invalidation", "local");
        }
        store.findById(PROBE);
        builder.up().withDetail("store", store.toString());
    }
}
