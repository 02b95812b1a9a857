package io.github.apikey.spring.bench;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.observation.VerificationObserver;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.usage.CoalescingUsageRecorder;
import io.github.apikey.spring.metrics.MicrometerVerificationObserver;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

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

/**
 * The cached verify of {@code CachedVerifyBenchmark} (core) with and without the starter's Micrometer timer, in the
 * same run: {@link #verify} has no observer, {@link #verifyMetered} records {@code apikey.verifications} in a
 * {@link SimpleMeterRegistry} (no key-id tag, the default).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Benchmark)
public class MeteredVerifyBenchmark {

    private static final String PEPPER = "jmh-benchmark-pepper-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Collection<String> REQUIRED_SCOPES = List.of("read");

    private CoalescingUsageRecorder usageRecorder;
    private ApiKeyService plain;
    private ApiKeyService metered;
    private String key;

    @Setup(Level.Trial)
    public void setUp() {
        InMemoryApiKeyStore store = new InMemoryApiKeyStore();
        usageRecorder = new CoalescingUsageRecorder(store, Duration.ofHours(1));
        plain = service(store, VerificationObserver.NONE);
        metered = service(store, new MicrometerVerificationObserver(new SimpleMeterRegistry(), false));
        key = plain.create(NewApiKey.named("bench").withScopes(List.of("read"))).plaintext();
        plain.verify(key, REQUIRED_SCOPES);
        metered.verify(key, REQUIRED_SCOPES);
    }

    private ApiKeyService service(InMemoryApiKeyStore store, VerificationObserver observer) {
        return ApiKeyService.builder(store, new HmacSha256ApiKeyHasher(PEPPER))
                .cache(new CaffeineVerifiedKeyCache(Duration.ofMinutes(5), 10_000))
                .usageRecorder(usageRecorder).observer(observer).build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        usageRecorder.close();
    }

    @Benchmark
    public ApiKey verify() {
        return plain.verify(key, REQUIRED_SCOPES);
    }

    @Benchmark
    public ApiKey verifyMetered() {
        return metered.verify(key, REQUIRED_SCOPES);
    }
}
