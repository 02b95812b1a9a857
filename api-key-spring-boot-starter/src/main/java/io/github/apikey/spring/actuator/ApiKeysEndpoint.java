package io.github.apikey.spring.actuator;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.cache.ForwardingVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.hash.ApiKeyHasher;
import io.github.apikey.core.hash.Argon2ApiKeyHasher;
import io.github.apikey.core.hash.BCryptApiKeyHasher;
import io.github.apikey.core.hash.ConcurrencyLimitedHasher;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.ratelimit.Bucket4jRateLimiter;
import io.github.apikey.core.ratelimit.RateLimiter;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.store.ApiKeyStateCounts;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.usage.CoalescingUsageRecorder;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.cache.RedisBroadcastingVerifiedKeyCache;
import io.github.apikey.spring.ratelimit.FailoverRateLimiter;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * Actuator endpoint {@code apikeys} (read only): how many keys are in each state, and the state of what verifies
 * them (cache, hash limiter, rate limits, last-used recorder). It tells counts and settings, never a key, a hash or
 * the pepper. The starter's default chain lets only the admin scope reach it, as every endpoint but health; an
 * application with its own chain must protect it too.
 *
 * <p>The counts take one query over the key table ({@link ApiKeyStore#countStates}): with a million keys, a
 * fraction of a second on PostgreSQL.
 */
@Endpoint(id = "apikeys")
public class ApiKeysEndpoint {

    /** Keys expiring within this are counted as expiring soon. */
    public static final Duration EXPIRING_WITHIN = Duration.ofDays(7);

    /** Keys not used for this long are counted as unused. */
    public static final Duration UNUSED_FOR = Duration.ofDays(90);

    private final ApiKeyStore store;
    private final ApiKeyService service;
    private final VerifiedKeyCache cache;
    private final RateLimiter rateLimiter;
    private final UsageRecorder usageRecorder;
    private final Clock clock;

    /** Every part but the store may be {@code null} when unknown: it is then left out. */
    public ApiKeysEndpoint(ApiKeyStore store, ApiKeyService service, VerifiedKeyCache cache, RateLimiter rateLimiter,
                           UsageRecorder usageRecorder, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.service = service;
        this.cache = cache;
        this.rateLimiter = rateLimiter;
        this.usageRecorder = usageRecorder;
        this.clock = clock != null ? clock : Clock.systemUTC();
    }

    @ReadOperation
    public Map<String, Object> apiKeys() {
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("keys", keys());
        if (cache != null) {
            answer.put("cache", cache());
        }
        if (service != null) {
            answer.put("hasher", hasher(service.getHasher()));
        }
        if (rateLimiter != null) {
            answer.put("rateLimit", rateLimit());
        }
        if (usageRecorder instanceof CoalescingUsageRecorder recorder) {
            Map<String, Object> lastUsed = new LinkedHashMap<>();
            lastUsed.put("pending", recorder.pendingUses());
            lastUsed.put("flushLag", recorder.flushLag().toString());
            lastUsed.put("failedFlushes", recorder.failedFlushes());
            lastUsed.put("written", recorder.writtenUses());
            answer.put("lastUsed", lastUsed);
        }
        return answer;
    }

    private Map<String, Object> keys() {
        Instant now = clock.instant();
        ApiKeyStateCounts counts = store.countStates(now, now.plus(EXPIRING_WITHIN), now.minus(UNUSED_FOR));
        Map<String, Object> keys = new LinkedHashMap<>();
        keys.put("total", counts.total());
        keys.put("active", counts.active());
        keys.put("inactive", counts.inactive());
        keys.put("expired", counts.expired());
        keys.put("expiringWithin7Days", counts.expiringSoon());
        keys.put("neverUsed", counts.neverUsed());
        keys.put("unusedFor90Days", counts.unused());
        return keys;
    }

    private Map<String, Object> cache() {
        Map<String, Object> details = new LinkedHashMap<>();
        CaffeineVerifiedKeyCache caffeine = find(CaffeineVerifiedKeyCache.class);
        RedisBroadcastingVerifiedKeyCache redis = find(RedisBroadcastingVerifiedKeyCache.class);
        details.put("enabled", cache != VerifiedKeyCache.NONE);
        if (caffeine != null) {
            details.put("size", caffeine.size());
            double ratio = caffeine.hitRatio();
            details.put("hitRatio", Double.isNaN(ratio) ? null : ratio);
            details.put("hits", caffeine.hitCount());
            details.put("renewals", caffeine.renewalCount());
            details.put("misses", caffeine.missCount());
            details.put("evictions", caffeine.evictionCount());
        }
        details.put("invalidation", redis != null ? "redis" : "local");
        if (redis != null) {
            details.put("subscribed", redis.isSubscribed());
            details.put("invalidationsReceived", redis.receivedInvalidations());
        }
        return details;
    }

    private <T> T find(Class<T> type) {
        VerifiedKeyCache current = cache;
        while (current != null) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            current = current instanceof ForwardingVerifiedKeyCache forwarding ? forwarding.getDelegate() : null;
        }
        return null;
    }

    private static Map<String, Object> hasher(ApiKeyHasher hasher) {
        Map<String, Object> details = new LinkedHashMap<>();
        ApiKeyHasher hashing = hasher;
        if (hasher instanceof ConcurrencyLimitedHasher limited) {
            hashing = limited.getDelegate();
        }
        // Only the starter's own hashers are described by their toString, which names the cost and nothing else;
        // an application's hasher is named by its class, since its toString might show anything.
        if (hashing instanceof Argon2ApiKeyHasher || hashing instanceof BCryptApiKeyHasher
                || hashing instanceof HmacSha256ApiKeyHasher) {
            details.put("type", hashing.toString());
        } else {
            details.put("type", hashing == null ? null : hashing.getClass().getName());
        }
        if (hasher instanceof ConcurrencyLimitedHasher limited) {
            details.put("maxConcurrent", limited.getMaxConcurrent());
            details.put("slotsInUse", limited.inUse());
            details.put("slotsAcquired", limited.slotsAcquired());
            details.put("slotWaitTotal", Duration.ofNanos(limited.slotWaitNanos()).toString());
            details.put("slotsRefused", limited.slotsRefused());
        }
        return details;
    }

    private Map<String, Object> rateLimit() {
        Map<String, Object> details = new LinkedHashMap<>();
        if (rateLimiter instanceof FailoverRateLimiter shared) {
            details.put("store", "redis");
            details.put("available", shared.isStoreAvailable());
            details.put("onStoreFailure", shared.getOnFailure().name().toLowerCase(Locale.ROOT));
            details.put("fallbackActive", shared.isFallbackActive());
            details.put("storeFailures", shared.getStoreFailures());
        } else if (rateLimiter instanceof Bucket4jRateLimiter) {
            details.put("store", "memory");
        } else {
            details.put("store", rateLimiter.getClass().getName());
        }
        return details;
    }
}
