package io.github.apikey.spring.cache;

import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;

import java.util.Objects;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * This instance's cache, whose invalidations are also published on a Redis channel; {@link #onMessage} applies
 * those of every instance. If Redis is down, the change still applies here and verification goes on from local
 * state; other instances fall back to the cache's time-to-live until Redis is back.
 */
public final class RedisBroadcastingVerifiedKeyCache implements VerifiedKeyCache {

    static final String ALL = "*";

    private static final Logger log = LoggerFactory.getLogger(RedisBroadcastingVerifiedKeyCache.class);

    private final VerifiedKeyCache local;
    private final StringRedisTemplate redis;
    private final String channel;

    public RedisBroadcastingVerifiedKeyCache(VerifiedKeyCache local, StringRedisTemplate redis, String channel) {
        this.local = Objects.requireNonNull(local, "local");
        this.redis = Objects.requireNonNull(redis, "redis");
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    @Override
    public Hit get(String presentedKey) {
        return local.get(presentedKey);
    }

    @Override
    public long generation() {
        return local.generation();
    }

    @Override
    public void put(String presentedKey, ApiKey key, long generation) {
        local.put(presentedKey, key, generation);
    }

    @Override
    public void invalidate(UUID id) {
        local.invalidate(id);
        publish(id.toString());
    }

    @Override
    public void invalidateAll() {
        local.invalidateAll();
        publish(ALL);
    }

    /** Applies an invalidation published by any instance, this one included. */
    public void onMessage(String message) {
        if (ALL.equals(message)) {
            local.invalidateAll();
            return;
        }
        try {
            local.invalidate(UUID.fromString(message));
        } catch (IllegalArgumentException notAKeyId) {
            log.warn("Ignoring a malformed API key invalidation on channel {}", channel);
        }
    }

    private void publish(String message) {
        try {
            redis.convertAndSend(channel, message);
        } catch (RuntimeException redisDown) {
            log.warn("Could not publish an API key invalidation on Redis channel {}; other instances apply it "
                    + "when their cache entry expires: {}", channel, redisDown.toString());
        }
    }

    @Override
    public String toString() {
        return "RedisBroadcastingVerifiedKeyCache[" + local + ", channel=" + channel + "]";
    }
}
