package io.github.apikey.core.ratelimit;

import io.github.apikey.core.domain.RateLimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TimeMeter;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.local.SynchronizationStrategy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@link RateLimiter} in this process's memory, on Bucket4j: one bucket per key, each of its limits a bandwidth
 * refilled in full at the end of its window. For one instance, or as the fallback of a shared limiter; instances do
 * not share these budgets. Changing a key's limits starts a new bucket with the new budgets.
 *
 * <p>Memory: {@code maximumBuckets} bounds the buckets kept, the least used going first (a bucket evicted while its
 * budget is spent starts again full). Whenever the number of buckets has doubled, those whose budgets are full again
 * are dropped: keeping them would change no decision.
 *
 * <p>Time: budgets are counted on the time the caller passes ({@link #tryConsume(UUID, List, Instant)}), the one
 * the service read for the request, or on the system clock. On some machines a clock read costs as much as the whole
 * bucket, so the hot path reads none of its own: neither Bucket4j nor an expiring cache does.
 */
public final class Bucket4jRateLimiter implements RateLimiter {

    /** How many buckets are kept at most, by default. */
    public static final long DEFAULT_MAXIMUM_BUCKETS = 1_000_000;

    /** Below this many buckets, none is swept: a sweep would cost more than what it frees. */
    private static final long SWEEP_FLOOR = 1024;

    private final Cache<UUID, KeyBucket> buckets;
    private final AtomicLong nextSweepAt = new AtomicLong(SWEEP_FLOOR);
    private final Executor sweeper;

    public Bucket4jRateLimiter() {
        this(DEFAULT_MAXIMUM_BUCKETS);
    }

    public Bucket4jRateLimiter(long maximumBuckets) {
        this(maximumBuckets, ForkJoinPool.commonPool());
    }

    /** @param sweeper runs the sweeps of buckets whose budgets are whole again; a sweep visits every bucket */
    Bucket4jRateLimiter(long maximumBuckets, Executor sweeper) {
        this.sweeper = Objects.requireNonNull(sweeper, "sweeper");
        // Maintenance on the calling thread: handing it to the common pool woke one of its threads on most
        // requests, which tripled the cost of a limited cache hit.
        this.buckets = Caffeine.newBuilder().executor(Runnable::run).maximumSize(maximumBuckets).build();
    }

    @Override
    public RateLimitDecision tryConsume(UUID keyId, List<RateLimit> limits) {
        return tryConsume(keyId, limits, Instant.now());
    }

    @Override
    public RateLimitDecision tryConsume(UUID keyId, List<RateLimit> limits, Instant now) {
        Objects.requireNonNull(keyId, "keyId");
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("limits must not be empty");
        }
        long nowNanos = epochNanos(now);
        long[] requestTime = RequestTime.CURRENT.get();
        requestTime[0] = nowNanos; // for Bucket4j, from a new bucket's start to the decision
        try {
            KeyBucket entry = buckets.getIfPresent(keyId);
            if (entry != null && entry.countsFor(limits)) {
                return consume(entry.bucket, limits);
            }
            entry = buckets.asMap().compute(keyId, (id, existing) ->
                    existing != null && existing.countsFor(limits) ? existing : new KeyBucket(limits));
            RateLimitDecision decision = consume(entry.bucket, limits);
            // After consuming, so that the sweep sees this request in the new bucket.
            sweepIfGrown(nowNanos);
            return decision;
        } finally {
            requestTime[0] = RequestTime.UNSET;
        }
    }

    private static RateLimitDecision consume(Bucket bucket, List<RateLimit> limits) {
        if (limits.size() == 1) {
            return decision(limits, 0, bucket.tryConsumeAndReturnRemaining(1), null);
        }
        VerboseResult<ConsumptionProbe> result = bucket.asVerbose().tryConsumeAndReturnRemaining(1);
        return decision(limits, -1, result.getValue(), result.getDiagnostics().getAvailableTokensPerEachBandwidth());
    }

    private static long epochNanos(Instant instant) {
        return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
    }

    private void sweepIfGrown(long nowNanos) {
        long threshold = nextSweepAt.get();
        if (buckets.estimatedSize() >= threshold && nextSweepAt.compareAndSet(threshold, Long.MAX_VALUE)) {
            sweeper.execute(() -> sweep(nowNanos));
        }
    }

    /** Drops the buckets whose budgets are whole at {@code nowNanos}, on the timeline of the requests. */
    private void sweep(long nowNanos) {
        long[] requestTime = RequestTime.CURRENT.get();
        requestTime[0] = nowNanos;
        try {
            for (UUID keyId : buckets.asMap().keySet()) {
                // Under the entry's lock, so that no new bucket for the key is lost; a request that fetched the
                // full bucket just before may still count against it alone, which can only admit that one request.
                buckets.asMap().computeIfPresent(keyId, (id, entry) -> entry.isFull() ? null : entry);
            }
        } finally {
            requestTime[0] = RequestTime.UNSET;
            nextSweepAt.set(Math.max(SWEEP_FLOOR, 2 * buckets.estimatedSize()));
        }
    }

    private static Bucket newBucket(List<RateLimit> limits) {
        // Synchronized rather than lock-free: a lock-free bucket copies its state on every request, and one key's
        // requests seldom contend (measured in CachedVerifyBenchmark).
        var builder = Bucket.builder().withSynchronizationStrategy(SynchronizationStrategy.SYNCHRONIZED)
                .withCustomTimePrecision(RequestTime.METER);
        for (RateLimit limit : limits) {
            builder.addLimit(bandwidth(limit));
        }
        return builder.build();
    }

    /** The Bucket4j configuration of {@code limits}, shared with limiters that keep buckets elsewhere. */
    public static BucketConfiguration configuration(List<RateLimit> limits) {
        var builder = BucketConfiguration.builder();
        for (RateLimit limit : limits) {
            builder.addLimit(bandwidth(limit));
        }
        return builder.build();
    }

    private static Bandwidth bandwidth(RateLimit limit) {
        // Intervally, not greedy: a greedy refill would admit a full budget plus what refilled meanwhile within
        // one window; restoring the budget at the window's end admits at most the limit in any window.
        return Bandwidth.builder().capacity(limit.limit()).refillIntervally(limit.limit(), limit.duration())
                .id(limit.name()).build();
    }

    /**
     * The decision for a probe: {@code governingIndex} when known (one limit), else the limit with the fewest
     * requests left in {@code perLimit}.
     */
    public static RateLimitDecision decision(List<RateLimit> limits, int governingIndex, ConsumptionProbe probe,
                                             long[] perLimit) {
        int governing = governingIndex;
        long remaining = probe.getRemainingTokens();
        if (governing < 0) {
            governing = 0;
            for (int i = 1; i < perLimit.length && i < limits.size(); i++) {
                if (perLimit[i] < perLimit[governing]) {
                    governing = i;
                }
            }
            remaining = Math.max(0, perLimit[governing]);
        }
        // The probe's reset is when every budget is full again; the governing one is full again at its window's
        // end, which is never further than one window away.
        Duration reset = Duration.ofNanos(probe.getNanosToWaitForReset());
        if (reset.compareTo(limits.get(governing).duration()) > 0) {
            reset = limits.get(governing).duration();
        }
        return new RateLimitDecision(probe.isConsumed(), limits, limits.get(governing), Math.max(0, remaining),
                reset,
                probe.isConsumed() ? Duration.ZERO : Duration.ofNanos(probe.getNanosToWaitForRefill()));
    }

    /** Buckets held now, for tests and metrics. */
    public long size() {
        buckets.cleanUp();
        return buckets.estimatedSize();
    }

    @Override
    public String toString() {
        return "Bucket4jRateLimiter[buckets=" + buckets.estimatedSize() + "]";
    }

    /** A key's bucket, for the limits it was made for. */
    private static final class KeyBucket {

        final List<RateLimit> limits;
        final Bucket bucket;

        KeyBucket(List<RateLimit> limits) {
            this.limits = List.copyOf(limits);
            this.bucket = newBucket(this.limits);
        }

        /** Whether every budget is whole: nothing of this bucket's history counts any more. */
        boolean isFull() {
            long[] available = bucket.asVerbose().getAvailableTokens().getDiagnostics()
                    .getAvailableTokensPerEachBandwidth();
            for (int i = 0; i < limits.size(); i++) {
                if (available[i] < limits.get(i).limit()) {
                    return false;
                }
            }
            return true;
        }

        boolean countsFor(List<RateLimit> requested) {
            // A cached key hands the same list back on every request, so the identity check decides nearly always.
            return requested == limits || requested.equals(limits);
        }
    }

    /**
     * Bucket4j's clock: the time of the request being counted on this thread, or the system clock outside one, in
     * nanoseconds since the epoch. Wall-clock time, as Bucket4j's own {@code TimeMeter.SYSTEM_MILLISECONDS}: a
     * clock set back delays refills by as much, and never admits more than a window's limit.
     */
    private static final class RequestTime implements TimeMeter {

        static final long UNSET = Long.MIN_VALUE;
        static final ThreadLocal<long[]> CURRENT = ThreadLocal.withInitial(() -> new long[] {UNSET});
        static final RequestTime METER = new RequestTime();

        @Override
        public long currentTimeNanos() {
            long requestNanos = CURRENT.get()[0];
            return requestNanos != UNSET ? requestNanos : epochNanos(Instant.now());
        }

        @Override
        public boolean isWallClockBased() {
            return true;
        }
    }
}
