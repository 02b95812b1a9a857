package io.github.apikey.spring.integrity;

import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.integrity.app.BillingApplication;
import io.github.apikey.spring.integrity.app.Customer;
import io.github.apikey.spring.integrity.app.CustomerRepository;
import io.github.apikey.spring.integrity.app.OffboardingService;
import io.github.apikey.spring.testing.TestDatabase;
import io.github.apikey.spring.testing.TestRedis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The key service called from an application's own {@code @Transactional} methods, on two instances that share one
 * PostgreSQL database and one Redis: a revocation takes effect when the caller's transaction commits (on both
 * instances, whatever they cached meanwhile), and the caller's own pending changes are saved with it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallerTransactionTests {

    private static final Duration WORK_AFTER_DEACTIVATION = Duration.ofMillis(1500);

    private TestDatabase database;
    private TestRedis redis;
    private ConfigurableApplicationContext instanceA;
    private ConfigurableApplicationContext instanceB;

    @BeforeAll
    void startTwoInstances() {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        redis = TestRedis.start();
        String channel = "api-key-it-" + UUID.randomUUID();
        instanceA = start(channel, "update");
        instanceB = start(channel, "none");
    }

    private ConfigurableApplicationContext start(String channel, String ddlAuto) {
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(redis.springProperties());
        properties.addAll(List.of("api-key.pepper=caller-transaction-pepper-012345", "api-key.hasher.type=hmac-sha256",
                "api-key.cache.invalidation=redis", "api-key.cache.redis-channel=" + channel,
                "api-key.cache.ttl=10m", "api-key.jdbc.initialize-schema=always",
                "spring.jpa.hibernate.ddl-auto=" + ddlAuto, "spring.main.banner-mode=off"));
        return new SpringApplicationBuilder(BillingApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {instanceA, instanceB, redis, database}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void aDeactivationInsideTheCallersTransactionIsRefusedOnBothInstancesWithinOneSecondOfTheCommit()
            throws Exception {
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        CreatedApiKey created = a.create(NewApiKey.named("revoked in a transaction"));

        try (Traffic onA = new Traffic(a, created.plaintext()); Traffic onB = new Traffic(b, created.plaintext())) {
            onA.awaitAccepted();
            onB.awaitAccepted();
            // Until the commit the row is still active for everyone else, so both instances keep re-verifying and
            // re-caching it while the transaction works.
            instanceA.getBean(OffboardingService.class)
                    .deactivateThenWork(created.apiKey().getId(), WORK_AFTER_DEACTIVATION);
            long committed = System.nanoTime();

            assertThat(Duration.ofNanos(onA.awaitRefusedSince(committed) - committed))
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(Duration.ofNanos(onB.awaitRefusedSince(committed) - committed))
                    .isLessThan(Duration.ofSeconds(1));
            assertThat(onA.acceptedDuringTransaction()).as("the uncommitted row is what others see").isPositive();
        }
        assertThatThrownBy(() -> a.verify(created.plaintext())).isInstanceOf(KeyInactiveException.class);
        assertThatThrownBy(() -> b.verify(created.plaintext())).isInstanceOf(KeyInactiveException.class);
    }

    @Test
    void theCallersPendingEntityChangeIsSavedWithTheDeactivation() {
        ApiKeyService service = instanceA.getBean(ApiKeyService.class);
        CustomerRepository customers = instanceA.getBean(CustomerRepository.class);
        Customer customer = customers.save(new Customer("ACME"));
        CreatedApiKey key = service.create(NewApiKey.named("acme"));

        instanceA.getBean(OffboardingService.class).suspend(customer.getId(), key.apiKey().getId());

        assertThat(customers.findById(customer.getId()).orElseThrow().getName()).isEqualTo("ACME (suspended)");
        assertThat(service.get(key.apiKey().getId()).isActive()).isFalse();
    }

    @Test
    void nothingVerifiedInsideARolledBackTransactionStaysCached() {
        ApiKeyService service = instanceA.getBean(ApiKeyService.class);
        CreatedApiKey key = service.create(NewApiKey.named("activated then rolled back").withActive(false));

        assertThatThrownBy(() -> instanceA.getBean(OffboardingService.class)
                .activateUseAndFail(key.apiKey().getId(), key.plaintext()))
                .hasMessage("the application's work failed");

        assertThat(service.get(key.apiKey().getId()).isActive()).isFalse();
        assertThatThrownBy(() -> service.verify(key.plaintext())).isInstanceOf(KeyInactiveException.class);
    }

    /** One client verifying a key over and over on one instance, as requests would. */
    private static final class Traffic implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger accepted = new AtomicInteger();
        private volatile long lastAcceptedAt;
        private volatile long firstRefusedAt;
        private final CompletableFuture<Void> loop;

        Traffic(ApiKeyService service, String key) {
            loop = CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    try {
                        service.verify(key);
                        accepted.incrementAndGet();
                        lastAcceptedAt = System.nanoTime();
                        firstRefusedAt = 0;
                    } catch (KeyInactiveException | InvalidKeyException refused) {
                        if (firstRefusedAt == 0) {
                            firstRefusedAt = System.nanoTime();
                        }
                    }
                    sleepQuietly(2);
                }
            });
        }

        void awaitAccepted() throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (accepted.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(accepted.get()).isPositive();
        }

        int acceptedDuringTransaction() {
            return accepted.get();
        }

        /** When refusals began for good, after {@code since}; fails if the key is still accepted 5 s later. */
        long awaitRefusedSince(long since) throws InterruptedException {
            long deadline = since + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                long refused = firstRefusedAt;
                if (refused != 0 && System.nanoTime() - Math.max(refused, since) > TimeUnit.MILLISECONDS.toNanos(100)
                        && lastAcceptedAt < refused) {
                    return Math.max(refused, since);
                }
                Thread.sleep(5);
            }
            throw new AssertionError("the key is still accepted 5 s after the transaction committed");
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            loop.get(5, TimeUnit.SECONDS);
        }

        private static void sleepQuietly(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
