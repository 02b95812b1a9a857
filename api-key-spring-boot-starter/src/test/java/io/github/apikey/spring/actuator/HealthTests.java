package io.github.apikey.spring.actuator;

import io.github.apikey.spring.testing.TestDatabase;
import io.github.apikey.spring.testing.TestRedis;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code apiKeys} health contribution: the key store, how invalidations reach this instance, and where rate
 * limits are counted (see {@code RedisRateLimitOutageTests} for Redis and its fallback).
 */
class HealthTests {

    @Test
    void isUpWithLocalInvalidationWhenTheStoreAnswers() throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);
             ConfigurableApplicationContext context = start(database.springProperties())) {
            Health health = indicator(context).health();

            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("invalidation", "local")
                    .containsEntry("store", "JpaApiKeyStore")
                    .containsEntry("rateLimit", java.util.Map.of("store", "memory"));
        }
    }

    @Test
    void isDownWhileTheDatabaseRefusesConnectionsAndSaysWhetherRedisIsSubscribed() throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
             TestRedis redis = TestRedis.start()) {
            List<String> properties = new ArrayList<>(database.springProperties());
            properties.addAll(redis.springProperties());
            properties.addAll(List.of("api-key.cache.invalidation=redis",
                    "api-key.cache.redis-channel=api-key-health-" + UUID.randomUUID(),
                    "api-key.jdbc.initialize-schema=always", "spring.datasource.hikari.connection-timeout=500"));
            try (ConfigurableApplicationContext context = start(properties)) {
                HealthIndicator indicator = indicator(context);
                // The subscription completes on Lettuce's thread, shortly after start-up on a busy machine.
                Health up = indicator.health();
                long subscribedBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (!Boolean.TRUE.equals(up.getDetails().get("subscribed")) && System.nanoTime() < subscribedBy) {
                    Thread.sleep(50);
                    up = indicator.health();
                }
                assertThat(up.getStatus()).isEqualTo(Status.UP);
                assertThat(up.getDetails()).containsEntry("invalidation", "redis").containsEntry("subscribed", true);

                database.refuseConnections();
                try {
                    assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
                } finally {
                    database.acceptConnections();
                }
                // The pool replaces the connections the outage killed as they are borrowed, so the first checks
                // after the outage may still fail.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (indicator.health().getStatus() != Status.UP && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
            }
        }
    }

    private static HealthIndicator indicator(ConfigurableApplicationContext context) {
        return context.getBean("apiKeysHealthIndicator", HealthIndicator.class);
    }

    private static ConfigurableApplicationContext start(List<String> extra) {
        List<String> properties = new ArrayList<>(extra);
        properties.addAll(List.of("api-key.pepper=health-test-pepper-0123456789abcdefghij",
                "api-key.hasher.type=hmac-sha256", "spring.main.banner-mode=off"));
        return new SpringApplicationBuilder(HealthApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class HealthApplication {
    }
}
