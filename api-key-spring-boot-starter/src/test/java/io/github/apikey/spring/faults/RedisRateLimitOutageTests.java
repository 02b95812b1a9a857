package io.github.apikey.spring.faults;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.RateLimitExceededException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.service.VerificationContext;
import io.github.apikey.spring.ratelimit.FailoverRateLimiter;
import io.github.apikey.spring.testing.ExternalServices;

import io.micrometer.core.instrument.MeterRegistry;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A Redis server of this test's own, holding the shared rate-limit budgets, goes away and comes back. Each
 * {@code api-key.rate-limit.on-store-failure} does what it says meanwhile, without a request waiting for Redis; one
 * warning per outage; health and metrics say the fallback is in use; budgets are shared again once Redis answers,
 * without a restart. Redis down at start-up does not stop an instance.
 */
@ExtendWith(OutputCaptureExtension.class)
class RedisRateLimitOutageTests {

    private static final String OUTAGE_WARNING = "The rate-limit store (Redis) cannot be reached";
    private static final String RECOVERY_NOTICE = "The rate-limit store (Redis) answers again";
    private static final RateLimit THREE_PER_HOUR = new RateLimit("requests", 3, Duration.ofHours(1));

    private Process redis;
    private ConfigurableApplicationContext context;

    @AfterEach
    void stop() {
        if (context != null) {
            context.close();
        }
        stopRedis();
    }

    @Test
    void localCountsInMemoryDuringTheOutageAndSharesAgainWhenRedisReturns(CapturedOutput output) throws Exception {
        int port = freePort();
        startRedis(port);
        context = start(port, WebApplicationType.NONE, "local");
        ApiKeyService service = context.getBean(ApiKeyService.class);
        FailoverRateLimiter limiter = context.getBean(FailoverRateLimiter.class);
        CreatedApiKey key = service.create(NewApiKey.named("limited").withRateLimits(List.of(THREE_PER_HOUR)));
        assertThat(remainingAfter(service, key)).isEqualTo(2);
        assertThat(remainingAfter(service, key)).isEqualTo(1);
        assertThat(rateLimitHealth()).containsEntry("store", "redis").containsEntry("available", true)
                .containsEntry("onStoreFailure", "local").containsEntry("fallbackActive", false);

        stopRedis();

        // This instance's memory has a budget of its own: the three requests Redis counted are not known here.
        List<Long> remaining = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> List.of(
                remainingAfter(service, key), remainingAfter(service, key), remainingAfter(service, key)),
                "requests waited for Redis");
        assertThat(remaining).containsExactly(2L, 1L, 0L);
        assertThatThrownBy(() -> service.verify(key.plaintext())).isInstanceOf(RateLimitExceededException.class);
        assertThat(rateLimitHealth()).containsEntry("available", false).containsEntry("fallbackActive", true);
        MeterRegistry meters = context.getBean(MeterRegistry.class);
        assertThat(meters.get("apikey.ratelimit.store.fallback").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("apikey.ratelimit.store.failures").functionCounter().count()).isGreaterThanOrEqualTo(4);
        assertThat(limiter.getStoreFailures()).isGreaterThanOrEqualTo(4);

        startRedis(port);
        await(limiter::isStoreAvailable, "the limiter reconnected");

        // A fresh Redis (nothing persisted): a full shared budget again, counted on Redis.
        assertThat(remainingAfter(service, key)).isEqualTo(2);
        assertThat(rateLimitHealth()).containsEntry("available", true).containsEntry("fallbackActive", false);
        assertThat(meters.get("apikey.ratelimit.store.fallback").gauge().value()).isZero();
        assertThat(output.getAll().lines().filter(line -> line.contains(OUTAGE_WARNING))).as("one warning")
                .hasSize(1).allSatisfy(line -> assertThat(line).contains(" WARN ").contains("own memory"));
        assertThat(output.getAll().lines().filter(line -> line.contains(RECOVERY_NOTICE))).hasSize(1);
        assertThat(output.getAll()).doesNotContain(key.plaintext().substring(key.plaintext().lastIndexOf('-') + 1));
    }

    /** As when keys cannot be looked up: 503 with Retry-After; keys without limits are not affected. */
    @Test
    void rejectAnswersLimitedKeys503WhileRedisIsDown() throws Exception {
        int port = freePort();
        startRedis(port);
        context = start(port, WebApplicationType.SERVLET, "reject");
        ApiKeyService service = context.getBean(ApiKeyService.class);
        CreatedApiKey limited = service.create(NewApiKey.named("limited").withRateLimits(List.of(THREE_PER_HOUR)));
        CreatedApiKey free = service.create(NewApiKey.named("free"));
        assertThat(get(limited.plaintext()).statusCode()).isEqualTo(200);

        stopRedis();

        HttpResponse<String> refused = get(limited.plaintext());
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(refused.body()).contains("API key verification is temporarily unavailable")
                .doesNotContain("Redis").doesNotContain("127.0.0.1");
        assertThat(refused.headers().firstValue("RateLimit")).isEmpty();
        assertThatThrownBy(() -> service.verify(limited.plaintext())).isInstanceOf(ApiKeyStoreException.class)
                .extracting(e -> ((ApiKeyStoreException) e).getCode()).isEqualTo(ApiKeyErrorCode.UNAVAILABLE);
        assertThat(get(free.plaintext()).statusCode()).isEqualTo(200);

        startRedis(port);
        await(() -> context.getBean(FailoverRateLimiter.class).isStoreAvailable(), "the limiter reconnected");
        assertThat(get(limited.plaintext()).statusCode()).isEqualTo(200);
    }

    @Test
    void allowLetsLimitedKeysThroughUncountedWhileRedisIsDown() throws Exception {
        int port = freePort();
        startRedis(port);
        context = start(port, WebApplicationType.NONE, "allow");
        ApiKeyService service = context.getBean(ApiKeyService.class);
        CreatedApiKey key = service.create(NewApiKey.named("limited")
                .withRateLimits(List.of(new RateLimit("requests", 1, Duration.ofHours(1)))));
        assertThat(remainingAfter(service, key)).isZero();
        assertThatThrownBy(() -> service.verify(key.plaintext())).isInstanceOf(RateLimitExceededException.class);

        stopRedis();

        for (int i = 0; i < 5; i++) {
            assertThat(service.authenticate(key.plaintext(), VerificationContext.NONE).rateLimit())
                    .as("no decision, so no headers").isNull();
        }
        assertThat(rateLimitHealth()).containsEntry("onStoreFailure", "allow").containsEntry("fallbackActive", true);
    }

    /**
     * Redis stops answering without closing the connection (here, a stopped process): the first request waits the
     * short timeout, not the client's default minute, and the next ones do not wait at all until Redis answers.
     */
    @Test
    void aRedisThatHangsCostsOneTimeoutThenFailsFastUntilItAnswers(CapturedOutput output) throws Exception {
        int port = freePort();
        startRedis(port);
        context = start(port, WebApplicationType.NONE, "local", "api-key.rate-limit.redis-timeout=300ms");
        ApiKeyService service = context.getBean(ApiKeyService.class);
        FailoverRateLimiter limiter = context.getBean(FailoverRateLimiter.class);
        CreatedApiKey key = service.create(NewApiKey.named("limited").withRateLimits(List.of(THREE_PER_HOUR)));
        assertThat(remainingAfter(service, key)).isEqualTo(2);

        signal("STOP");
        try {
            assertThat(assertTimeoutPreemptively(Duration.ofSeconds(10), () -> remainingAfter(service, key),
                    "the request waited for Redis")).as("decided in memory").isEqualTo(2);
            assertThat(limiter.isFallbackActive()).isTrue();
            long failures = limiter.getStoreFailures();
            assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
                for (int i = 0; i < 20; i++) {
                    try {
                        service.verify(key.plaintext());
                    } catch (RateLimitExceededException spent) {
                        // The local budget runs out; still decided without Redis.
                    }
                }
            }, "requests kept waiting for a Redis that does not answer");
            assertThat(limiter.getStoreFailures()).isEqualTo(failures + 20);
        } finally {
            signal("CONT");
        }

        await(limiter::isStoreAvailable, "Redis answered a PING again");
        // The bucket written before the hang is still on Redis with one request spent; this is the second.
        assertThat(remainingAfter(service, key)).isEqualTo(1);
        assertThat(output.getAll().lines().filter(line -> line.contains(OUTAGE_WARNING))).hasSize(1);
    }

    @Test
    void anInstanceStartsWhileRedisIsDownAndSharesBudgetsOnceItAnswers(CapturedOutput output) throws Exception {
        int port = freePort();
        context = assertTimeoutPreemptively(Duration.ofSeconds(60),
                () -> start(port, WebApplicationType.NONE, "local"), "start-up waited for Redis");
        ApiKeyService service = context.getBean(ApiKeyService.class);
        FailoverRateLimiter limiter = context.getBean(FailoverRateLimiter.class);
        CreatedApiKey key = service.create(NewApiKey.named("limited").withRateLimits(List.of(THREE_PER_HOUR)));

        assertThat(limiter.isStoreAvailable()).isFalse();
        assertThat(remainingAfter(service, key)).isEqualTo(2);
        assertThat(rateLimitHealth()).containsEntry("fallbackActive", true);

        startRedis(port);
        await(limiter::isStoreAvailable, "the limiter connected");

        assertThat(remainingAfter(service, key)).as("a fresh budget on Redis").isEqualTo(2);
        assertThat(remainingAfter(service, key)).isEqualTo(1);
        assertThat(output.getAll().lines().filter(line -> line.contains(OUTAGE_WARNING))).hasSize(1);
        assertThat(output.getAll()).doesNotContain("\tat ");
    }

    private static long remainingAfter(ApiKeyService service, CreatedApiKey key) {
        return service.authenticate(key.plaintext(), VerificationContext.NONE).rateLimit().remaining();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> rateLimitHealth() {
        Health health = context.getBean("apiKeysHealthIndicator", HealthIndicator.class).health();
        return (Map<String, Object>) health.getDetails().get("rateLimit");
    }

    private HttpResponse<String> get(String key) throws Exception {
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                + "/work")).header("Authorization", "Bearer " + key).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 15 s: " + what);
            }
            Thread.sleep(20);
        }
    }

    private ConfigurableApplicationContext start(int redisPort, WebApplicationType type, String onStoreFailure,
                                                 String... extra) {
        List<String> properties = new ArrayList<>(List.of(
                "spring.datasource.url=jdbc:h2:mem:rate-limit-outage-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1",
                "api-key.jdbc.initialize-schema=always", "spring.jpa.hibernate.ddl-auto=none",
                "api-key.pepper=rate-limit-outage-pepper-0123456789ab", "api-key.hasher.type=hmac-sha256",
                "api-key.rate-limit.store=redis", "api-key.rate-limit.on-store-failure=" + onStoreFailure,
                "spring.data.redis.host=127.0.0.1", "spring.data.redis.port=" + redisPort,
                "server.port=0", "spring.main.banner-mode=off"));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(OutageApplication.class).web(type)
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

    /** Stops or continues this test's own Redis process, by its id. */
    private void signal(String signal) throws Exception {
        Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(redis.pid())).inheritIO().start();
        assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(kill.exitValue()).isZero();
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
    @Import(WorkController.class)
    static class OutageApplication {
    }

    @RestController
    static class WorkController {

        @GetMapping("/work")
        String work() {
            return "done";
        }
    }
}
