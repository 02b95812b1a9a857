package io.github.apikey.spring.cache;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.usage.CoalescingUsageRecorder;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/** The cache and the coalesced last-used writes as the starter wires them. */
class CacheAndUsageTests {

    @Test
    void pendingLastUsedTimesAreWrittenOnShutdown() throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
            CreatedApiKey created;
            try (ConfigurableApplicationContext context = start(database, "api-key.last-used.flush-interval=1h",
                    "spring.jpa.hibernate.ddl-auto=none")) {
                ApiKeyService service = context.getBean(ApiKeyService.class);
                created = service.create(NewApiKey.named("used"));
                for (int i = 0; i < 100; i++) {
                    service.verify(created.plaintext());
                }
                CoalescingUsageRecorder recorder = context.getBean(CoalescingUsageRecorder.class);
                assertThat(recorder.pendingUses()).isEqualTo(1);
                assertThat(recorder.writtenUses()).isZero();
                assertThat(lastUsedAt(database)).isNull();
            }

            assertThat(lastUsedAt(database)).isNotNull();
        }
    }

    @Test
    void wiresTheCacheAndBoundsHashingAsConfigured() throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);
             ConfigurableApplicationContext context = start(database, "api-key.hashing.max-concurrent=3",
                     "api-key.cache.ttl=2m")) {
            assertThat(context.getBean(VerifiedKeyCache.class)).isInstanceOf(CaffeineVerifiedKeyCache.class);
            assertThat(context.getBean(ApiKeyService.class).toString())
                    .contains("ConcurrencyLimitedHasher[HmacSha256ApiKeyHasher, maxConcurrent=3]");
        }
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2);
             ConfigurableApplicationContext context = start(database, "api-key.cache.enabled=false")) {
            assertThat(context.getBean(VerifiedKeyCache.class)).isSameAs(VerifiedKeyCache.NONE);
        }
    }

    @Test
    void redisInvalidationWithoutRedisFailsStartUpSayingWhatIsMissing() throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> start(database,
                            "api-key.cache.invalidation=redis",
                            "spring.autoconfigure.exclude=org.springframework.boot.data.redis.autoconfigure"
                                    + ".DataRedisAutoConfiguration").close())
                    .hasStackTraceContaining("api-key.cache.invalidation=redis needs Spring Data Redis");
        }
    }

    private static ConfigurableApplicationContext start(TestDatabase database, String... extra) {
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(List.of("api-key.pepper=cache-test-pepper-0123456789abcd", "api-key.hasher.type=hmac-sha256",
                "spring.main.banner-mode=off"));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(CacheApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private static java.sql.Timestamp lastUsedAt(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT last_used_at FROM api_keys")) {
            assertThat(row.next()).isTrue();
            return row.getTimestamp(1);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class CacheApplication {
    }
}
