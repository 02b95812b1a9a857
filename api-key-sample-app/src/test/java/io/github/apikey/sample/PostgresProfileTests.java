package io.github.apikey.sample;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample's {@code postgres} profile on the servers of this machine: two instances on one PostgreSQL database and
 * one Redis share each key's rate-limit budget, answer with the rate-limit fields of the profile's default limit, and
 * refuse a key revoked on the other instance. Skips without PostgreSQL on 127.0.0.1:5432 or Redis on 127.0.0.1:6379,
 * or fails when {@code APIKEY_IT_REQUIRE_SERVICES=1}, as the starter's integration tests do.
 */
class PostgresProfileTests {

    private static final String ADMIN_URL = "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=3";

    private final String name = "apikey_sample_it_" + HexFormat.of().formatHex(randomBytes());
    private final List<ConfigurableApplicationContext> instances = new ArrayList<>();
    private final HttpClient http = HttpClient.newHttpClient();
    private boolean databaseCreated;

    @AfterEach
    void stop() throws SQLException {
        instances.forEach(ConfigurableApplicationContext::close);
        if (databaseCreated) {
            execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        }
    }

    @Test
    void twoInstancesShareOneBudgetPerKeyAndRevocations() throws Exception {
        requireServices();
        ConfigurableApplicationContext first = start();
        ConfigurableApplicationContext second = start();
        assertThat(first.getEnvironment().getProperty("spring.datasource.url")).startsWith("jdbc:postgresql:");
        ApiKeyService service = first.getBean(ApiKeyService.class);

        // A key of its own limit (5 an hour: no window ends during the test), used in turn on both instances.
        String limited = service.create(NewApiKey.named("limited")
                .withRateLimits(List.of(new RateLimit("requests", 5, Duration.ofHours(1))))).plaintext();
        List<String> rateLimits = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            HttpResponse<String> answer = get(i % 2 == 0 ? first : second, limited);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"requests\";q=5;w=3600");
            rateLimits.add(answer.headers().firstValue("RateLimit").orElseThrow());
        }
        // One budget: what is left goes down by one on each request, whichever instance took it.
        assertThat(rateLimits).extracting(value -> value.replaceFirst(";t=\\d+$", "")).containsExactly(
                "\"requests\";r=4", "\"requests\";r=3", "\"requests\";r=2", "\"requests\";r=1", "\"requests\";r=0");
        for (ConfigurableApplicationContext instance : List.of(second, first)) {
            HttpResponse<String> refused = get(instance, limited);
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("API key rate limit exceeded");
        }

        // A key without limits of its own gets the profile's default.
        CreatedApiKey plain = service.create(NewApiKey.named("plain"));
        HttpResponse<String> answer = get(second, plain.plaintext());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"requests\";q=100;w=10");

        // Verified (so cached) on the second instance, deactivated on the first: Redis carries the eviction.
        ApiKey deactivated = service.deactivate(plain.apiKey().getId());
        assertThat(deactivated.isActive()).isFalse();
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        int status;
        do {
            status = get(second, plain.plaintext()).statusCode();
        } while (status == 200 && System.nanoTime() < deadline);
        assertThat(status).isEqualTo(403);
    }

    private ConfigurableApplicationContext start() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
                .profiles("postgres")
                // Arguments, as on a command line: they override the profile's file, as default properties would not.
                .run("--server.port=0",
                        "--spring.datasource.url=jdbc:postgresql://127.0.0.1:5432/" + name,
                        // A channel and buckets of this test's own on the shared Redis.
                        "--api-key.cache.redis-channel=" + name + ":invalidations",
                        "--api-key.rate-limit.redis-key-prefix=" + name + ":rate-limit:",
                        // Argon2id would only slow the test: the hasher is not what it is about.
                        "--api-key.hasher.type=hmac-sha256",
                        "--api-key.bootstrap.generate-admin-key=false",
                        "--spring.main.banner-mode=off");
        instances.add(context);
        return context;
    }

    private HttpResponse<String> get(ConfigurableApplicationContext instance, String key)
            throws IOException, InterruptedException {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/protected"))
                .header("Authorization", "Bearer " + key).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private void requireServices() {
        try {
            execute("CREATE DATABASE " + name);
            databaseCreated = true;
        } catch (SQLException unavailable) {
            unavailable("PostgreSQL on 127.0.0.1:5432 (user postgres, trust authentication)", unavailable);
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 6379), 2000);
        } catch (IOException unavailable) {
            unavailable("Redis on 127.0.0.1:6379", unavailable);
        }
    }

    /** Skips, or fails with APIKEY_IT_REQUIRE_SERVICES=1 (as in CI), the convention of the starter's tests. */
    private static void unavailable(String service, Exception cause) {
        String required = System.getenv("APIKEY_IT_REQUIRE_SERVICES");
        String message = service + " is not available for the sample's 'postgres' profile (last error: " + cause + ")";
        if (required != null && (required.equals("1") || required.equalsIgnoreCase("true"))) {
            Assertions.fail(message + ". APIKEY_IT_REQUIRE_SERVICES is set, so this fails instead of skipping.",
                    cause);
        }
        Assumptions.abort(message + ". Skipping; set APIKEY_IT_REQUIRE_SERVICES=1 to fail instead.");
    }

    private static void execute(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(ADMIN_URL, "postgres", "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
