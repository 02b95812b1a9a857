package io.github.apikey.spring.faults;

import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.testing.ExternalServices;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A Redis server of this test's own goes down between two instances and comes back: verification keeps working
 * on local state meanwhile, and invalidations flow again once it returns, without a restart.
 */
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
        return new SpringApplicationBuilder(OutageApplication.class).web(WebApplicationType.NONE).properties(
                "spring.datasource.url=" + database, "api-key.jdbc.initialize-schema=always",
                "spring.jpa.hibernate.ddl-auto=none", "api-key.pepper=redis-outage-pepper",
                "api-key.hasher.type=hmac-sha256", "api-key.cache.invalidation=redis", "api-key.cache.ttl=10m",
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort,
                "spring.data.redis.timeout=500ms", "spring.main.banner-mode=off").run();
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
