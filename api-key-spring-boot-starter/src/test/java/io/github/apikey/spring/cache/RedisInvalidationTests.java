package io.github.apikey.spring.cache;

import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
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

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two instances on one PostgreSQL database and the real Redis: a revocation on one is refused by the other. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RedisInvalidationTests {

    private TestDatabase database;
    private TestRedis redis;
    private ConfigurableApplicationContext instanceA;
    private ConfigurableApplicationContext instanceB;

    @BeforeAll
    void startTwoInstances() {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        redis = TestRedis.start();
        String channel = "api-key-it-" + UUID.randomUUID();
        instanceA = start(channel, "always");
        instanceB = start(channel, "never");
    }

    private ConfigurableApplicationContext start(String channel, String initializeSchema) {
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(redis.springProperties());
        properties.addAll(List.of("api-key.pepper=redis-test-pepper-0123456789abcd", "api-key.hasher.type=hmac-sha256",
                "api-key.cache.invalidation=redis", "api-key.cache.redis-channel=" + channel,
                "api-key.cache.ttl=10m", "api-key.jdbc.initialize-schema=" + initializeSchema,
                "spring.main.banner-mode=off"));
        return new SpringApplicationBuilder(TwoInstancesApplication.class).web(WebApplicationType.NONE)
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
    void aDeactivationOnOneInstanceIsRefusedByTheOtherWithinOneSecond() throws Exception {
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        assertThat(instanceB.getBean(io.github.apikey.core.cache.VerifiedKeyCache.class))
                .isInstanceOf(RedisBroadcastingVerifiedKeyCache.class);
        CreatedApiKey created = a.create(NewApiKey.named("shared"));
        b.verify(created.plaintext());
        a.verify(created.plaintext());

        long start = System.nanoTime();
        a.deactivate(created.apiKey().getId());
        long refusedAfter = awaitRefusal(b, created.plaintext(), Duration.ofSeconds(5));

        assertThat(Duration.ofNanos(refusedAfter - start)).isLessThan(Duration.ofSeconds(1));
        assertThatThrownBy(() -> a.verify(created.plaintext())).isInstanceOf(KeyInactiveException.class);
    }

    @Test
    void aScopeChangeAndADeletionReachTheOtherInstanceToo() throws Exception {
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        CreatedApiKey created = a.create(NewApiKey.named("scoped").withScopes(List.of("read", "write")));
        b.verify(created.plaintext(), List.of("write"));

        a.update(created.apiKey().getId(), io.github.apikey.core.domain.ApiKeyChanges.builder()
                .scopes(List.of("read")).build());
        awaitUntil(() -> {
            try {
                b.verify(created.plaintext(), List.of("write"));
                return false;
            } catch (io.github.apikey.core.error.InsufficientScopesException refused) {
                return true;
            }
        });

        a.delete(created.apiKey().getId());
        awaitUntil(() -> {
            try {
                b.verify(created.plaintext());
                return false;
            } catch (io.github.apikey.core.error.InvalidKeyException refused) {
                return true;
            }
        });
    }

    private static long awaitRefusal(ApiKeyService service, String key, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                service.verify(key);
            } catch (KeyInactiveException refused) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the other instance still accepts the key after " + timeout);
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("the change did not reach the other instance within 1 s");
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwoInstancesApplication {
    }
}
