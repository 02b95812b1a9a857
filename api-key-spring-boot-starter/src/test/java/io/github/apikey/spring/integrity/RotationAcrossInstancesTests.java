package io.github.apikey.spring.integrity;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.integrity.app.BillingApplication;
import io.github.apikey.spring.testing.TestDatabase;
import io.github.apikey.spring.testing.TestRedis;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Rotation racing verification on two instances that share one PostgreSQL database and one Redis, both caching
 * for ten minutes: the old secret is accepted on either instance only by verifications that began before its grace
 * period ended, the new one from the moment the rotation returns, and a rotation without grace revokes the old
 * secret on both instances as fast as a deactivation does.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RotationAcrossInstancesTests {

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
        properties.addAll(List.of("api-key.pepper=rotation-across-instances-pepper-0123", "api-key.hasher.type=hmac-sha256",
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
    void theOldSecretIsAcceptedOnlyByVerificationsThatBeganWithinTheGracePeriod() throws Exception {
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        CreatedApiKey created = a.create(NewApiKey.named("rotated under load"));

        ApiKey rotated;
        try (Traffic oldOnA = new Traffic(a, created.plaintext()); Traffic oldOnB = new Traffic(b, created.plaintext())) {
            oldOnA.awaitAccepted();
            oldOnB.awaitAccepted();

            CreatedApiKey renewed = b.rotate(created.apiKey().getId(), Duration.ofSeconds(2));
            rotated = renewed.apiKey();
            assertThat(a.verify(renewed.plaintext()).getId()).isEqualTo(created.apiKey().getId());
            assertThat(b.verify(renewed.plaintext()).getId()).isEqualTo(created.apiKey().getId());
            Instant graceEnd = rotated.getPreviousSecretExpiresAt();
            Thread.sleep(Duration.between(Instant.now(), graceEnd).plusMillis(700).toMillis());

            for (Traffic traffic : List.of(oldOnA, oldOnB)) {
                assertThat(traffic.acceptedStartingAtOrAfter(rotated.getRotatedAt()))
                        .as("the old secret keeps working during the grace period").isPositive();
                assertThat(traffic.acceptedStartingAtOrAfter(graceEnd))
                        .as("accepted although the verification began after the grace period").isZero();
                assertThat(traffic.refusedSince(graceEnd)).isPositive();
            }
        }
        assertThatThrownBy(() -> a.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> b.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void aRotationWithoutGraceRevokesTheOldSecretOnBothInstancesWithinOneSecond() throws Exception {
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        CreatedApiKey created = a.create(NewApiKey.named("rotated at once"));

        try (Traffic oldOnA = new Traffic(a, created.plaintext()); Traffic oldOnB = new Traffic(b, created.plaintext())) {
            oldOnA.awaitAccepted();
            oldOnB.awaitAccepted();

            a.rotate(created.apiKey().getId(), Duration.ZERO);
            Instant rotatedAt = Instant.now();
            Thread.sleep(1500);

            assertThat(oldOnA.acceptedStartingAtOrAfter(rotatedAt)).as("same instance").isZero();
            assertThat(oldOnB.acceptedStartingAtOrAfter(rotatedAt.plusSeconds(1))).as("other instance").isZero();
        }
    }

    /** A client verifying one key over and over on one instance, noting when each accepted verification began. */
    private static final class Traffic implements AutoCloseable {

        private final AtomicBoolean running = new AtomicBoolean(true);
        private final ConcurrentLinkedQueue<Instant> acceptedStarts = new ConcurrentLinkedQueue<>();
        private final ConcurrentLinkedQueue<Instant> refusedStarts = new ConcurrentLinkedQueue<>();
        private final AtomicInteger accepted = new AtomicInteger();
        private final CompletableFuture<Void> loop;

        Traffic(ApiKeyService service, String key) {
            loop = CompletableFuture.runAsync(() -> {
                while (running.get()) {
                    Instant started = Instant.now();
                    try {
                        service.verify(key);
                        acceptedStarts.add(started);
                        accepted.incrementAndGet();
                    } catch (InvalidKeyException refused) {
                        refusedStarts.add(started);
                    }
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
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

        long acceptedStartingAtOrAfter(Instant instant) {
            return acceptedStarts.stream().filter(start -> !start.isBefore(instant)).count();
        }

        long refusedSince(Instant instant) {
            return refusedStarts.stream().filter(start -> !start.isBefore(instant)).count();
        }

        @Override
        public void close() throws Exception {
            running.set(false);
            loop.get(5, TimeUnit.SECONDS);
        }
    }
}
