package io.github.apikey.spring.metrics;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.cache.ForwardingVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.hash.ConcurrencyLimitedHasher;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.usage.CoalescingUsageRecorder;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.cache.RedisBroadcastingVerifiedKeyCache;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The state of verification's helpers as meters: the verified-key cache, the hash limiter and the last-used
 * recorder. Every value is read when the registry is scraped, from counters the core keeps anyway, so these meters
 * cost nothing on a request; a helper that is not of the starter's kind (replaced by the application) has no
 * meters, and one that cannot be read (a mocked service) reads as {@code NaN}.
 *
 * <p>Nothing here is called while binding: the parts are looked up when read, so that a slice test with mocked beans
 * binds it safely.
 */
public final class ApiKeyMeters implements MeterBinder {

    private final Supplier<VerifiedKeyCache> cache;
    private final Supplier<ApiKeyService> service;
    private final Supplier<UsageRecorder> usageRecorder;

    public ApiKeyMeters(Supplier<VerifiedKeyCache> cache, Supplier<ApiKeyService> service,
                        Supplier<UsageRecorder> usageRecorder) {
        this.cache = Objects.requireNonNull(cache, "cache");
        this.service = Objects.requireNonNull(service, "service");
        this.usageRecorder = Objects.requireNonNull(usageRecorder, "usageRecorder");
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        bindCache(registry);
        bindHasher(registry);
        bindUsageRecorder(registry);
    }

    private void bindCache(MeterRegistry registry) {
        gauge(registry, "apikey.cache.size", "Verified keys held in the cache", null,
                meters -> cacheValue(meters, CaffeineVerifiedKeyCache::size));
        gauge(registry, "apikey.cache.hit.ratio",
                "Share of cache look-ups answered without hashing (fresh or renewed entries) since start-up", null,
                meters -> cacheValue(meters, CaffeineVerifiedKeyCache::hitRatio));
        cacheGets(registry, "hit", "Cache look-ups answered with a fresh entry", CaffeineVerifiedKeyCache::hitCount);
        cacheGets(registry, "renewal", "Cache look-ups answered with an entry renewed from its row, without hashing",
                CaffeineVerifiedKeyCache::renewalCount);
        cacheGets(registry, "miss", "Cache look-ups that found nothing, so the key was looked up and hashed",
                CaffeineVerifiedKeyCache::missCount);
        counter(registry, "apikey.cache.evictions", "Cache entries dropped for size or age", null,
                meters -> cacheValue(meters, CaffeineVerifiedKeyCache::evictionCount));
        counter(registry, "apikey.cache.invalidations",
                "Invalidations applied to the cache: a key changed or deleted, here or (over Redis) elsewhere", null,
                meters -> cacheValue(meters, CaffeineVerifiedKeyCache::invalidationCount));
        counter(registry, "apikey.cache.invalidations.received",
                "Invalidations received on the Redis channel, this instance's own included", null,
                meters -> {
                    RedisBroadcastingVerifiedKeyCache redis = meters.find(RedisBroadcastingVerifiedKeyCache.class);
                    return redis == null ? Double.NaN : redis.receivedInvalidations();
                });
    }

    private void cacheGets(MeterRegistry registry, String result, String description,
                           ToDoubleFunction<CaffeineVerifiedKeyCache> count) {
        counter(registry, "apikey.cache.gets", description, result,
                meters -> cacheValue(meters, count));
    }

    private void bindHasher(MeterRegistry registry) {
        gauge(registry, "apikey.hash.slots.active", "Hash slots in use: verifications of uncached keys running now",
                null, meters -> hasherValue(meters, ConcurrencyLimitedHasher::inUse));
        gauge(registry, "apikey.hash.slots.max", "Most verifications of uncached keys at once "
                + "(api-key.hasher.max-concurrent)", null,
                meters -> hasherValue(meters, ConcurrencyLimitedHasher::getMaxConcurrent));
        FunctionTimer.builder("apikey.hash.slot.wait", this,
                        meters -> (long) hasherValue(meters, ConcurrencyLimitedHasher::slotsAcquired),
                        meters -> hasherValue(meters, ConcurrencyLimitedHasher::slotWaitNanos), TimeUnit.NANOSECONDS)
                .description("Time verifications of uncached keys waited for a hash slot").register(registry);
        counter(registry, "apikey.hash.slot.refusals",
                "Verifications refused (503) because no hash slot came free within api-key.hasher.max-wait", null,
                meters -> hasherValue(meters, ConcurrencyLimitedHasher::slotsRefused));
    }

    private void bindUsageRecorder(MeterRegistry registry) {
        gauge(registry, "apikey.lastused.pending", "Keys whose last use waits for the next flush", null,
                meters -> recorderValue(meters, CoalescingUsageRecorder::pendingUses));
        TimeGauge.builder("apikey.lastused.flush.lag", this, TimeUnit.MILLISECONDS,
                        meters -> recorderValue(meters, recorder -> recorder.flushLag().toMillis()))
                .description("How far stored last-used times may lag: time since the last flush that caught up, "
                        + "while uses are pending").register(registry);
        counter(registry, "apikey.lastused.flush.failures", "Flushes of last-used times that failed (retried)", null,
                meters -> recorderValue(meters, CoalescingUsageRecorder::failedFlushes));
        counter(registry, "apikey.lastused.writes", "Last-used times written: at most one per key per flush", null,
                meters -> recorderValue(meters, CoalescingUsageRecorder::writtenUses));
    }

    private void gauge(MeterRegistry registry, String name, String description, String result,
                       ToDoubleFunction<ApiKeyMeters> value) {
        Gauge.Builder<ApiKeyMeters> builder = Gauge.builder(name, this, value).description(description)
                .strongReference(true);
        if (result != null) {
            builder.tag("result", result);
        }
        builder.register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, String result,
                         ToDoubleFunction<ApiKeyMeters> value) {
        FunctionCounter.Builder<ApiKeyMeters> builder = FunctionCounter.builder(name, this, value)
                .description(description);
        if (result != null) {
            builder.tag("result", result);
        }
        builder.register(registry);
    }

    /** The cache of type {@code type}, looking through decorators, or {@code null}. */
    <T> T find(Class<T> type) {
        VerifiedKeyCache current = read(cache);
        while (current != null) {
            if (type.isInstance(current)) {
                return type.cast(current);
            }
            current = current instanceof ForwardingVerifiedKeyCache forwarding ? forwarding.getDelegate() : null;
        }
        return null;
    }

    private static double cacheValue(ApiKeyMeters meters, ToDoubleFunction<CaffeineVerifiedKeyCache> value) {
        CaffeineVerifiedKeyCache caffeine = meters.find(CaffeineVerifiedKeyCache.class);
        return caffeine == null ? Double.NaN : value.applyAsDouble(caffeine);
    }

    private static double hasherValue(ApiKeyMeters meters, ToDoubleFunction<ConcurrencyLimitedHasher> value) {
        ApiKeyService service = read(meters.service);
        Object hasher = service == null ? null : service.getHasher();
        return hasher instanceof ConcurrencyLimitedHasher limited ? value.applyAsDouble(limited) : Double.NaN;
    }

    private static double recorderValue(ApiKeyMeters meters, ToDoubleFunction<CoalescingUsageRecorder> value) {
        return read(meters.usageRecorder) instanceof CoalescingUsageRecorder recorder ? value.applyAsDouble(recorder)
                : Double.NaN;
    }

    private static <T> T read(Supplier<T> supplier) {
        try {
            return supplier.get();
        } catch (RuntimeException unavailable) {
            return null;
        }
    }
}
