package io.github.apikey.spring.integrity;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.UsageExceededException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Two application instances, each with its own connection pool, store and cache, on one database: credits they
 * consume together are handed out exactly once, a due refill happens once however many requests race for it, and
 * rotations from both instances, racing reads and edits, form one chain in which no rotation is lost.
 */
class CreditsAndRotationAcrossInstancesTests {

    private static final String PEPPER = "credits-across-instances-pepper-0123456789";
    private static final int THREADS_PER_INSTANCE = 8;

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void creditsConsumedOnTwoInstancesAreHandedOutExactlyOnceAndNeverGoBelowZero(TestDatabase.Kind kind)
            throws Exception {
        int credits = 150;
        try (TestDatabase database = TestDatabase.create(kind);
             ConfigurableApplicationContext a = start(database);
             ConfigurableApplicationContext b = start(database)) {
            CreatedApiKey key = service(a).create(NewApiKey.named("metered").withCredits((long) credits, null));

            Outcomes outcomes = verifyConcurrently(List.of(service(a), service(b)), key.plaintext(), 2 * credits,
                    jdbc(a), key.apiKey().getId());

            assertThat(outcomes.accepted()).hasSize(credits);
            // Each success reports the count it left: all different, so no credit was handed out twice.
            assertThat(new HashSet<>(outcomes.accepted())).hasSize(credits)
                    .allMatch(left -> left >= 0 && left < credits);
            assertThat(outcomes.exceeded).hasValue(credits);
            assertThat(outcomes.lowestSeen).hasValueGreaterThanOrEqualTo(0);
            assertThat(remaining(jdbc(a), key.apiKey().getId())).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void aDueRefillRacedByBothInstancesHappensOnce(TestDatabase.Kind kind) throws Exception {
        int amount = 60;
        try (TestDatabase database = TestDatabase.create(kind);
             ConfigurableApplicationContext a = start(database);
             ConfigurableApplicationContext b = start(database)) {
            CreatedApiKey key = service(a).create(NewApiKey.named("refilled")
                    .withCredits(0L, new CreditRefill(amount, CreditRefill.Interval.DAILY)));
            UUID id = key.apiKey().getId();
            // Used up, last refilled yesterday: the first request of today refills, in the same statement.
            service(a).update(id, ApiKeyChanges.builder().lastRefillAt(Instant.now().minus(Duration.ofDays(1)))
                    .build());

            Outcomes outcomes = verifyConcurrently(List.of(service(a), service(b)), key.plaintext(), 3 * amount,
                    jdbc(a), id);

            // A second refill would have handed out a second batch of counts.
            assertThat(outcomes.accepted()).hasSize(amount);
            assertThat(new HashSet<>(outcomes.accepted())).hasSize(amount);
            assertThat(remaining(jdbc(a), id)).isZero();
            assertThat(service(b).get(id).getLastRefillAt())
                    .isEqualTo(CreditRefill.Interval.DAILY.periodStart(Instant.now()));
        }
    }

    /**
     * Each instance rotates the key again and again while other threads read it and edit it on both. Every
     * rotation answers with the hash it replaced; together they must form one chain from the first hash to the
     * stored one (a rotation that overwrote another would replace a hash twice, and the plaintext handed out for
     * the overwritten one would match nothing). At the end the newest secret and the one before it (in its grace
     * period) verify on an instance that has cached nothing, and every older one is refused.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void rotationsOnTwoInstancesRacingReadsAndEditsLoseNoRotation(TestDatabase.Kind kind) throws Exception {
        int rotationsEach = 25;
        try (TestDatabase database = TestDatabase.create(kind);
             ConfigurableApplicationContext a = start(database);
             ConfigurableApplicationContext b = start(database)) {
            CreatedApiKey original = service(a).create(NewApiKey.named("rotated").withScopes(List.of("read"))
                    .withOwnerId("tenant-r"));
            UUID id = original.apiKey().getId();
            List<CreatedApiKey> rotations = Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean rotating = new AtomicBoolean(true);
            AtomicInteger reads = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(6);
            CountDownLatch start = new CountDownLatch(1);
            try {
                List<Future<?>> rotators = new ArrayList<>();
                for (ApiKeyService service : List.of(service(a), service(b))) {
                    rotators.add(pool.submit(() -> {
                        start.await();
                        for (int i = 0; i < rotationsEach; i++) {
                            rotations.add(service.rotate(id, Duration.ofHours(1)));
                        }
                        return null;
                    }));
                }
                List<Future<?>> others = new ArrayList<>();
                for (ApiKeyService service : List.of(service(a), service(b))) {
                    others.add(pool.submit(() -> {
                        start.await();
                        while (rotating.get()) {
                            assertThat(service.get(id).getKeyId()).isEqualTo(original.apiKey().getKeyId());
                            assertThat(service.find(ApiKeyFilter.builder().ownerId("tenant-r").build()))
                                    .extracting(ApiKey::getId).containsExactly(id);
                            reads.incrementAndGet();
                        }
                        return null;
                    }));
                }
                others.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; rotating.get(); i++) {
                        service(b).update(id, ApiKeyChanges.builder().metadata(Map.of("edit", i)).build());
                    }
                    return null;
                }));
                start.countDown();
                for (Future<?> rotator : rotators) {
                    rotator.get(3, TimeUnit.MINUTES);
                }
                rotating.set(false);
                for (Future<?> other : others) {
                    other.get(1, TimeUnit.MINUTES);
                }
            } finally {
                rotating.set(false);
                pool.shutdownNow();
            }

            List<CreatedApiKey> chain = chain(original, rotations);
            ApiKey stored = service(a).get(id);
            assertThat(chain).as("every rotation is in the one chain").hasSize(2 * rotationsEach + 1);
            assertThat(chain.get(chain.size() - 1).apiKey().getKeyHash()).isEqualTo(stored.getKeyHash());
            assertThat(stored.getScopes()).containsExactly("read");
            assertThat(stored.getMetadata()).containsKey("edit");
            assertThat(reads).hasValueGreaterThan(0);

            try (ConfigurableApplicationContext fresh = start(database, "api-key.cache.enabled=false")) {
                ApiKeyService c = service(fresh);
                assertThat(c.verify(chain.get(chain.size() - 1).plaintext()).getId()).isEqualTo(id);
                assertThat(c.verify(chain.get(chain.size() - 2).plaintext()).getId()).isEqualTo(id);
                for (CreatedApiKey replaced : chain.subList(0, chain.size() - 2)) {
                    assertThatThrownBy(() -> c.verify(replaced.plaintext())).isInstanceOf(InvalidKeyException.class);
                }
            }
        }
    }

    /** The rotations in the order they happened, each replacing the hash of the one before, from the original. */
    private static List<CreatedApiKey> chain(CreatedApiKey original, List<CreatedApiKey> rotations) {
        Map<String, CreatedApiKey> byReplacedHash = new HashMap<>();
        for (CreatedApiKey rotation : rotations) {
            assertThat(byReplacedHash.put(rotation.apiKey().getPreviousKeyHash(), rotation))
                    .as("a hash was replaced twice: a rotation was overwritten").isNull();
        }
        List<CreatedApiKey> chain = new ArrayList<>(List.of(original));
        for (CreatedApiKey next = byReplacedHash.get(original.apiKey().getKeyHash()); next != null;
             next = byReplacedHash.get(next.apiKey().getKeyHash())) {
            chain.add(next);
        }
        return chain;
    }

    private record Outcomes(List<Long> acceptedRemaining, AtomicInteger exceeded, AtomicLong lowestSeen) {

        List<Long> accepted() {
            return acceptedRemaining;
        }
    }

    /**
     * {@code attempts} verifications spread over threads on every service, all starting together, while a watcher
     * reads the stored count as often as it can and keeps the lowest it saw.
     */
    private static Outcomes verifyConcurrently(List<ApiKeyService> services, String plaintext, int attempts,
                                               JdbcTemplate jdbc, UUID id) throws Exception {
        List<Long> accepted = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger exceeded = new AtomicInteger();
        AtomicLong lowest = new AtomicLong(Long.MAX_VALUE);
        AtomicInteger left = new AtomicInteger(attempts);
        AtomicBoolean running = new AtomicBoolean(true);
        int threads = THREADS_PER_INSTANCE * services.size();
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ApiKeyService service = services.get(t % services.size());
                work.add(pool.submit(() -> {
                    start.await();
                    while (left.getAndDecrement() > 0) {
                        try {
                            accepted.add(service.verify(plaintext).getRemaining());
                        } catch (UsageExceededException exhausted) {
                            exceeded.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            Future<?> watcher = pool.submit(() -> {
                start.await();
                while (running.get()) {
                    lowest.accumulateAndGet(remaining(jdbc, id), Math::min);
                }
                return null;
            });
            start.countDown();
            for (Future<?> future : work) {
                future.get(3, TimeUnit.MINUTES);
            }
            running.set(false);
            watcher.get(1, TimeUnit.MINUTES);
        } finally {
            running.set(false);
            pool.shutdownNow();
        }
        return new Outcomes(accepted, exceeded, lowest);
    }

    private static long remaining(JdbcTemplate jdbc, UUID id) {
        Long remaining = jdbc.queryForObject("SELECT remaining FROM api_keys WHERE id = ?", Long.class, id.toString());
        return remaining == null ? Long.MIN_VALUE : remaining;
    }

    private static ConfigurableApplicationContext start(TestDatabase database, String... extra) {
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(List.of("api-key.pepper=" + PEPPER, "api-key.hasher.type=hmac-sha256",
                "api-key.jdbc.initialize-schema=always", "spring.main.banner-mode=off",
                // Enough connections for every thread of the instance, so that they contend in the database.
                "spring.datasource.hikari.maximum-pool-size=" + (THREADS_PER_INSTANCE + 2)));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(TwoInstancesApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private static ApiKeyService service(ConfigurableApplicationContext context) {
        return context.getBean(ApiKeyService.class);
    }

    private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
        return context.getBean(JdbcTemplate.class);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwoInstancesApplication {
    }
}
