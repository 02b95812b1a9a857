package io.github.apikey.core.bench;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.usage.CoalescingUsageRecorder;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A cache hit against its floor. {@link #verify} is {@code ApiKeyService.verify} on a key already in a
 * {@link CaffeineVerifiedKeyCache}, with last-used times coalesced in memory: parse, SHA-256 of the presented key,
 * cache look-up and copy, state and scope checks, usage record. {@link #sha256Floor} is the SHA-256 of the same key
 * alone, with a per-thread {@link MessageDigest} as the cache uses: what no cache keyed by a digest can go below.
 * Their ratio is the overhead of everything else on a hit.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class CachedVerifyBenchmark {

    private static final String PEPPER = "jmh-benchmark-pepper-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Collection<String> REQUIRED_SCOPES = List.of("read");

    private CoalescingUsageRecorder usageRecorder;
    private ApiKeyService service;
    private String key;
    private String rateLimitedKey;

    @Setup(Level.Trial)
    public void setUp() {
        InMemoryApiKeyStore store = new InMemoryApiKeyStore();
        // Long enough that no flush happens during the run: uses stay coalesced in memory.
        usageRecorder = new CoalescingUsageRecorder(store, Duration.ofHours(1));
        service = ApiKeyService.builder(store, new HmacSha256ApiKeyHasher(PEPPER))
                .cache(new CaffeineVerifiedKeyCache(Duration.ofMinutes(5), 10_000))
                .usageRecorder(usageRecorder)
                .build();
        key = service.create(NewApiKey.named("bench").withScopes(List.of("read"))).plaintext();
        // A budget no run can spend (10^12 an hour; a run makes well under 10^10 calls), so that every measured
        // call pays for the limiter and none is refused. Not Long.MAX_VALUE: Bucket4j refuses a refill faster than
        // one token per nanosecond (3.6 * 10^12 an hour).
        rateLimitedKey = service.create(NewApiKey.named("bench limited").withScopes(List.of("read"))
                .withRateLimits(List.of(new RateLimit("requests", 1_000_000_000_000L, Duration.ofHours(1)))))
                .plaintext();
        // The first verify misses and fills the cache; every measured one hits.
        service.verify(key, REQUIRED_SCOPES);
        service.verify(rateLimitedKey, REQUIRED_SCOPES);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        usageRecorder.close();
    }

    @Benchmark
    public ApiKey verify() {
        return service.verify(key, REQUIRED_SCOPES);
    }

    /** {@link #verify} on a key with a rate limit, counted by Bucket4j in memory. */
    @Benchmark
    public ApiKey verifyRateLimited() {
        return service.verify(rateLimitedKey, REQUIRED_SCOPES);
    }

    @Benchmark
    public byte[] sha256Floor(Digest digest) {
        return digest.sha256.digest(key.getBytes(StandardCharsets.UTF_8));
    }

    /** One SHA-256 instance per benchmark thread. */
    @State(Scope.Thread)
    public static class Digest {

        MessageDigest sha256;

        @Setup(Level.Trial)
        public void setUp() throws NoSuchAlgorithmException {
            sha256 = MessageDigest.getInstance("SHA-256");
        }
    }
}
