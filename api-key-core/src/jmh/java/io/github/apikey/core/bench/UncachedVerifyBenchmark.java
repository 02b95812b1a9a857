package io.github.apikey.core.bench;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.hash.ApiKeyHasher;
import io.github.apikey.core.hash.Argon2ApiKeyHasher;
import io.github.apikey.core.hash.Argon2Cost;
import io.github.apikey.core.hash.BCryptApiKeyHasher;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.InMemoryApiKeyStore;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * {@code ApiKeyService.verify} of a valid key with no cache (the builder's default) and the default usage recorder,
 * which writes every use to the in-memory store: look-up, hash check, state and scope checks, one store write. The
 * hash check dominates for every hasher but HMAC-SHA256.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(1)
@State(Scope.Benchmark)
public class UncachedVerifyBenchmark {

    private static final String PEPPER = "jmh-benchmark-pepper-0123456789abcdefghijklmnopqrstuvwxyz";
    private static final Collection<String> REQUIRED_SCOPES = List.of("read");

    @Param({"argon2-default", "argon2-owasp", "bcrypt", "hmac"})
    public String hasher;

    private ApiKeyService service;
    private String key;

    @Setup(Level.Trial)
    public void setUp() {
        service = ApiKeyService.builder(new InMemoryApiKeyStore(), hasher(hasher)).build();
        key = service.create(NewApiKey.named("bench").withScopes(List.of("read"))).plaintext();
    }

    @Benchmark
    public ApiKey verify() {
        return service.verify(key, REQUIRED_SCOPES);
    }

    private static ApiKeyHasher hasher(String name) {
        return switch (name) {
            case "argon2-default" -> new Argon2ApiKeyHasher(PEPPER, Argon2Cost.DEFAULT);
            case "argon2-owasp" -> new Argon2ApiKeyHasher(PEPPER, Argon2Cost.OWASP_MINIMUM);
            case "bcrypt" -> new BCryptApiKeyHasher(PEPPER);
            case "hmac" -> new HmacSha256ApiKeyHasher(PEPPER);
            default -> throw new IllegalArgumentException("Unknown hasher " + name);
        };
    }
}
