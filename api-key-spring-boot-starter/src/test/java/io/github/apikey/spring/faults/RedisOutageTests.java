package io.github.apikey.spring.faults;

import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.cache.RedisBroadcastingVerifiedKeyCache;
import io.github.apikey.spring.testing.ExternalServices;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A Redis server of this test's own goes down between two instances and comes back: verification keeps working
 * on local state meanwhile, invalidations flow again once it returns, without a restart, and whatever was revoked
 * meanwhile is refused everywhere within seconds of its return. Redis down at start-up does not stop an instance.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisOutageTests {

    private Process redis;
    private ConfigurableApplicationContext instanceA;
    private ConfigurableApplicationContext instanceB;

    @AfterEach
    void stop() {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {instanceA, instanceB}) {
            if (context != null) {
                context.close();
            }
        }
        stopRedis();
    }

    @Test
    void verificationSurvivesARedisOutageAndInvalidationResumesWhenItReturns() throws Exception {
        int port = freePort();
        startRedis(port);
        String database = "jdbc:h2:mem:redis-outage-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        instanceA = start(database, port);
        instanceB = start(database, port);
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        CreatedApiKey before = a.create(NewApiKey.named("verified before the outage"));
        b.verify(before.plaintext());
        assertRefusedByBWithinOneSecond(a, b);

        stopRedis();

        CreatedApiKey during = a.create(NewApiKey.named("created during the outage"));
        assertThat(b.verify(before.plaintext()).getName()).isEqualTo("verified before the outage");
        assertThat(b.verify(during.plaintext()).getName()).isEqualTo("created during the outage");
        a.deactivate(during.apiKey().getId());
        assertThatThrownBy(() -> a.verify(during.plaintext())).isInstanceOf(KeyInactiveException.class);

        startRedis(port);

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                assertRefusedByBWithinOneSecond(a, b);
                break;
            } catch (AssertionError notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("invalidations did not resume within 60 s of Redis returning", notYet);
                }
            }
        }
    }

    @Test
    void aKeyRevokedDuringAnOutageIsRefusedWithinThreeSecondsOfRedisReturning() throws Exception {
        int port = freePort();
        startRedis(port);
        String database = "jdbc:h2:mem:redis-revoked-during-outage-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        instanceA = start(database, port);
        instanceB = start(database, port);
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        RedisBroadcastingVerifiedKeyCache cacheOfB = instanceB.getBean(RedisBroadcastingVerifiedKeyCache.class);
        assertThat(cacheOfB.isSubscribed()).isTrue();
        CreatedApiKey revoked = a.create(NewApiKey.named("revoked during the outage"));
        b.verify(revoked.plaintext());

        stopRedis();
        awaitSubscribed(cacheOfB, false);
        a.deactivate(revoked.apiKey().getId());
        assertThatThrownBy(() -> a.verify(revoked.plaintext())).isInstanceOf(KeyInactiveException.class);
        // B missed the message and serves its cache entry for now: the documented behaviour during an outage.
        assertThat(b.verify(revoked.plaintext()).getName()).isEqualTo("revoked during the outage");
        // Long enough for a client's exponential reconnect delay to grow to several seconds.
        Thread.sleep(10_000);

        startRedis(port);
        long returned = System.nanoTime();
        long refused = awaitRefusal(b, revoked.plaintext(), Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(refused - returned)).isLessThan(Duration.ofSeconds(3));
        awaitSubscribed(cacheOfB, true);
        assertRefusedByBWithinOneSecond(a, b);
    }

    /**
     * With the Redis client's default command timeout (a minute), a change made while Redis is away must not wait
     * for it: the publication happens off the caller's thread.
     */
    @Test
    void aChangeDuringAnOutageDoesNotWaitForRedis() throws Exception {
        int port = freePort();
        startRedis(port);
        String database = "jdbc:h2:mem:redis-change-during-outage-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        instanceA = start(database, port, new String[0]);
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        CreatedApiKey key = a.create(NewApiKey.named("changed during the outage"));

        stopRedis();
        long started = System.nanoTime();
        a.deactivate(key.apiKey().getId());
        a.update(key.apiKey().getId(), ApiKeyChanges.builder().name("renamed during the outage").build());

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThatThrownBy(() -> a.verify(key.plaintext())).isInstanceOf(KeyInactiveException.class);
    }

    @Test
    void anInstanceStartsWhileRedisIsDownAndConnectsWhenItReturns(CapturedOutput output) throws Exception {
        int port = freePort();
        String database = "jdbc:h2:mem:redis-down-at-start-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        instanceA = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> start(database, port),
                "start-up waited for Redis");
        instanceB = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> start(database, port),
                "start-up waited for Redis");
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        RedisBroadcastingVerifiedKeyCache cacheOfB = instanceB.getBean(RedisBroadcastingVerifiedKeyCache.class);
        assertThat(cacheOfB.isSubscribed()).isFalse();
        CreatedApiKey key = a.create(NewApiKey.named("created while Redis is down"));
        b.verify(key.plaintext());
        a.deactivate(key.apiKey().getId());
        assertThatThrownBy(() -> a.verify(key.plaintext())).isInstanceOf(KeyInactiveException.class);
        Thread.sleep(3_000);

        startRedis(port);
        long returned = System.nanoTime();
        long refused = awaitRefusal(b, key.plaintext(), Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(refused - returned)).isLessThan(Duration.ofSeconds(3));
        awaitSubscribed(cacheOfB, true);
        assertRefusedByBWithinOneSecond(a, b);

        String log = output.getAll();
        assertThat(log.lines().filter(line -> line.contains(" WARN ") && line.contains("Redis")
                && line.contains("invalidation"))).as("one warning per instance").hasSize(2);
        assertThat(log).doesNotContain("Connection failure occurred").doesNotContain("\tat ");
    }

    private static long awaitRefusal(ApiKeyService service, String key, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                service.verify(key);
            } catch (KeyInactiveException refused) {
                return System.nanoTime();
            }
            Thread.sleep(10);
        }
        throw new AssertionError("still accepted " + timeout.toSeconds() + " s later");
    }

    private static void awaitSubscribed(RedisBroadcastingVerifiedKeyCache cache, boolean subscribed)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (cache.isSubscribed() != subscribed) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("isSubscribed() still " + !subscribed + " after 10 s");
            }
            Thread.sleep(20);
        }
    }

    /** A key cached on B and deactivated on A is refused by B within one second. */
    private static void assertRefusedByBWithinOneSecond(ApiKeyService a, ApiKeyService b) throws Exception {
        CreatedApiKey key = a.create(NewApiKey.named("probe"));
        b.verify(key.plaintext());
        a.deactivate(key.apiKey().getId());
        long deadline = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                b.verify(key.plaintext());
            } catch (KeyInactiveException refused) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("B still accepts a key A deactivated a second ago");
    }

    private ConfigurableApplicationContext start(String database, int redisPort) {
        return start(database, redisPort, "spring.data.redis.timeout=500ms");
    }

    private ConfigurableApplicationContext start(String database, int redisPort, String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=" + database, "api-key.jdbc.initialize-schema=always",
                "spring.jpa.hibernate.ddl-auto=none", "api-key.pepper=redis-outage-pepper-0123456789ab",
                "api-key.hasher.type=hmac-sha256", "api-key.cache.invalidation=redis", "api-key.cache.ttl=10m",
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort,
                "spring.main.banner-mode=off"));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(OutageApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private void startRedis(int port) throws Exception {
        Path server = Path.of("/usr/bin/redis-server");
        if (!Files.isExecutable(server)) {
            throw ExternalServices.unavailable("redis-server", "install Redis (Debian: apt-get install redis-server)",
                    new IOException(server + " not found"));
        }
        redis = new ProcessBuilder(server.toString(), "--port", String.valueOf(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("redis-server did not start on port " + port);
    }

    private void stopRedis() {
        if (redis != null) {
            redis.destroy();
            try {
                redis.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            redis = null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class OutageApplication {
    }
}
