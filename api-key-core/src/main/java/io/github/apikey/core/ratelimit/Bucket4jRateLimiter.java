package io.github.apikey.core.ratelimit;

import io.github.apikey.core.domain.RateLimit;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * {@link RateLimiter} in this process's memory, on Bucket4j: one lock-free bucket per key and set of limits, each
 * limit a bandwidth refilled in full at the end of its window. For one instance, or as the fallback of a shared
 * limiter; instances do not share these budgets.
 *
 * <p>A bucket left unused for its longest window is dropped: by then its budget would have been restored in full
 * anyway, so dropping it changes no decision. {@code maximumBuckets} bounds memory; a bucket evicted for size
 * before that starts again with a full budget.
 */
public final class Bucket4jRateLimiter implements RateLimiter {

    /** How many buckets are kept at most, by default. */
    public static final long DEFAULT_MAXIMUM_BUCKETS = 1_000_000;

    private final Cache<BucketKey, Bucket> buckets;

    public Bucket4jRateLimiter() {
        this(DEFAULT_MAXIMUM_BUCKETS);
    }

    public Bucket4jRateLimiter(long maximumBuckets) {
        // Maintenance on the calling thread: every read renews a bucket's expiry, and handing the resulting upkeep
        // to the common pool woke one of its threads on most requests, which tripled the cost of a limited cache
        // hit (CachedVerifyBenchmark: 1.6 us against 0.8 us this way, beside 0.6-0.7 us unlimited).
        this.buckets = Caffeine.newBuilder().executor(Runnable::run).maximumSize(maximumBuckets)
                .expireAfter(new IdleForLongestWindow()).build();
    }

    @Override
    public RateLimitDecision tryConsume(UUID keyId, List<RateLimit> limits) {
        Objects.requireNonNull(keyId, "keyId");
        if (limits.isEmpty()) {
            throw new IllegalArgumentException("limits must not be empty");
        }
        Bucket bucket = buckets.get(new BucketKey(keyId, limits), key -> newBucket(limits));
        if (limits.size() == 1) {
            return decision(limits, 0, bucket.tryConsumeAndReturnRemaining(1), null);
        }
        VerboseResult<ConsumptionProbe> result = bucket.asVerbose().tryConsumeAndReturnRemaining(1);
        return decision(limits, -1, result.getValue(), result.getDiagnostics().getAvailableTokensPerEachBandwidth());
    }

    private static Bucket newBucket(List<RateLimit> limits) {
        var builder = Bucket.builder();
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

    /** A key's bucket for one set of limits: changing a key's limits starts a new bucket with the new budgets. */
    private record BucketKey(UUID keyId, List<RateLimit> limits) {

        Duration longestWindow() {
            Duration longest = Duration.ZERO;
            for (RateLimit limit : limits) {
                if (limit.duration().compareTo(longest) > 0) {
                    longest = limit.duration();
                }
            }
            return longest;
        }
    }

    private static final class IdleForLongestWindow implements Expiry<BucketKey, Bucket> {

        @Override
        public long expireAfterCreate(BucketKey key, Bucket bucket, long currentTime) {
            return key.longestWindow().toNanos();
        }

        @Override
        public long expireAfterUpdate(BucketKey key, Bucket bucket, long currentTime, long currentDuration) {
            return key.longestWindow().toNanos();
        }

        @Override
        public long expireAfterRead(BucketKey key, Bucket bucket, long currentTime, long currentDuration) {
            return key.longestWindow().toNanos();
        }
    }
}
