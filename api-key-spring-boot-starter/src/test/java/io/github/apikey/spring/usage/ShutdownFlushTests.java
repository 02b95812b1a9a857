package io.github.apikey.spring.usage;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Last-used times still pending when the application stops reach the database, and the stop logs no error. The
 * interval flush is an hour away in every test, so only the shutdown can write them.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownFlushTests {

    private static final String CLOSES_ON_EXIT = "closes itself when the JVM exits";

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private TestDatabase database;

    @TempDir
    Path directory;

    @AfterEach
    void close() throws Exception {
        contexts.forEach(ConfigurableApplicationContext::close);
        if (database != null) {
            database.close();
        }
    }

    @Test
    void aKeyUsedJustBeforeTheContextClosesHasItsLastUsedTimeStoredAfterwards(CapturedOutput output)
            throws Exception {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(List.of("api-key.jdbc.initialize-schema=always", "server.port=0",
                "server.shutdown=graceful"));
        ConfigurableApplicationContext context = start(WebApplicationType.SERVLET, properties);
        CreatedApiKey admin = context.getBean(ApiKeyService.class).create(NewApiKey.named("used at the end")
                .withScopes(List.of("api-keys:admin")));
        String port = context.getEnvironment().getProperty("local.server.port");

        HttpResponse<Void> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api-keys"))
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin.plaintext()).build(),
                HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(200);
        context.close();

        try (Connection connection = database.connect();
             PreparedStatement query = connection.prepareStatement(
                     "SELECT last_used_at FROM api_keys WHERE id = ?")) {
            query.setString(1, admin.apiKey().getId().toString());
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getTimestamp(1)).as("last_used_at after the close").isNotNull();
            }
        }
        assertThat(output.getAll()).doesNotContain(" ERROR ");
    }

    @Test
    void stoppingTheContextWritesThePendingUsesWhileTheDatabaseIsOpen() {
        ConfigurableApplicationContext context = start(WebApplicationType.NONE,
                List.of("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"));
        ApiKeyService service = context.getBean(ApiKeyService.class);
        CreatedApiKey key = service.create(NewApiKey.named("used before the stop"));
        service.verify(key.plaintext());
        assertThat(service.get(key.apiKey().getId()).getLastUsedAt()).isNull();

        context.stop();

        assertThat(service.get(key.apiKey().getId()).getLastUsedAt()).isNotNull();
    }

    @Test
    void anH2FileDatabaseThatClosesItselfOnExitIsNamedOnceAtStartUp(CapturedOutput output) {
        String file = "jdbc:h2:file:" + directory.resolve("keys").toAbsolutePath();

        start(WebApplicationType.NONE, List.of("spring.datasource.url=" + file + ";PASSWORD_HASH=FALSE",
                "api-key.jdbc.initialize-schema=always"));

        String log = output.getAll();
        assertThat(log.lines().filter(line -> line.contains(CLOSES_ON_EXIT))).hasSize(1).first().asString()
                .contains(" WARN ").contains(file).contains(";DB_CLOSE_ON_EXIT=FALSE")
                .doesNotContain("PASSWORD_HASH");
    }

    @Test
    void h2DatabasesThatStayOpenUntilTheApplicationClosesThemAreNotNamed(CapturedOutput output) {
        start(WebApplicationType.NONE, List.of("spring.datasource.url=jdbc:h2:file:"
                + directory.resolve("keys").toAbsolutePath() + ";db_close_on_exit=false",
                "api-key.jdbc.initialize-schema=always"));
        start(WebApplicationType.NONE, List.of("spring.datasource.url=jdbc:h2:mem:" + UUID.randomUUID()));

        assertThat(output.getAll()).doesNotContain(CLOSES_ON_EXIT);
    }

    private ConfigurableApplicationContext start(WebApplicationType type, List<String> properties) {
        List<String> all = new ArrayList<>(List.of("api-key.pepper=shutdown-pepper-0123456789abcdef", "api-key.hasher.type=hmac-sha256",
                "api-key.last-used.flush-interval=1h", "spring.main.banner-mode=off"));
        all.addAll(properties);
        ConfigurableApplicationContext context = new SpringApplicationBuilder(ShutdownApplication.class).web(type)
                .properties(all.toArray(String[]::new)).run();
        contexts.add(context);
        return context;
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class ShutdownApplication {
    }
}
