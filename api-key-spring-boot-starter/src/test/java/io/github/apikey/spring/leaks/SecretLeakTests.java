package io.github.apikey.spring.leaks;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.autoconfigure.ApiKeyProperties;
import io.github.apikey.spring.security.ApiKeyAuthenticationToken;
import io.github.apikey.spring.security.ApiKeyPrincipal;
import io.github.apikey.spring.testing.TestDatabase;
import io.github.apikey.spring.web.ApiKeyRequests;
import io.github.apikey.spring.web.app.ManagementApplication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * After keys are created and used through the HTTP API, with every logger at DEBUG, their secrets and the pepper
 * are nowhere but in the create response: not in the database files or a dump, not in the log, not in any other
 * response, not in the {@code toString} of the objects that carry them.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretLeakTests {

    private static final String PEPPER = "leak-test-pepper-7f3a9c1e5b2d4086";
    private static final Pattern CREATED_KEY = Pattern.compile("\"apiKey\":\"(ak_v1-[0-9a-f]{16}-[A-Za-z0-9]{64})\"");
    private static final Pattern ID = Pattern.compile("\"id\":\"([0-9a-f-]{36})\"");

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void noSecretReachesTheH2FileTheLogOrAnotherResponse(@TempDir Path directory, CapturedOutput output)
            throws Exception {
        String url = "jdbc:h2:file:" + directory.resolve("keys").toAbsolutePath();
        List<String> secrets = new ArrayList<>();
        List<String> otherResponses = new ArrayList<>();
        try (ConfigurableApplicationContext app = start(List.of("spring.datasource.url=" + url,
                "api-key.jdbc.initialize-schema=always"))) {
            exercise(app, secrets, otherResponses);
            try (Connection connection = app.getBean(javax.sql.DataSource.class).getConnection();
                 Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
        }

        String database;
        try (Stream<Path> files = Files.list(directory)) {
            database = files.map(SecretLeakTests::readLatin1).reduce("", String::concat);
        }
        assertThat(database).contains("key_hash".toUpperCase()).hasSizeGreaterThan(10_000);
        assertNoSecret("the H2 database file", database, secrets);
        assertNoSecret("the DEBUG log", output.getAll(), secrets);
        assertNoSecret("responses other than create", String.join("\n", otherResponses), secrets);
    }

    @Test
    void noSecretReachesAPostgreSqlDump(CapturedOutput output) throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            List<String> secrets = new ArrayList<>();
            String dump;
            List<String> properties = new ArrayList<>(database.springProperties());
            properties.add("api-key.jdbc.initialize-schema=always");
            try (ConfigurableApplicationContext app = start(properties)) {
                exercise(app, secrets, new ArrayList<>());
                dump = database.dump();
            }
            assertThat(dump).contains("CREATE TABLE public.api_keys").contains("COPY public.api_keys")
                    .contains("COPY public.api_key_events");
            assertNoSecret("the PostgreSQL dump", dump, secrets);
            assertNoSecret("the DEBUG log", output.getAll(), secrets);
        }
    }

    @Test
    void noObjectThatCarriesASecretShowsItInToString() {
        ApiKeyFormat format = new ApiKeyFormat();
        String key = format.format(format.newKeyId(), format.newSecret());
        ApiKeyService service = new ApiKeyService(new io.github.apikey.core.store.InMemoryApiKeyStore(),
                new io.github.apikey.core.hash.Argon2ApiKeyHasher(PEPPER,
                        new io.github.apikey.core.hash.Argon2Cost(1024, 1, 1)));
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        ApiKeyProperties properties = new ApiKeyProperties();
        properties.setPepper(PEPPER);
        properties.getBootstrap().setAdminKey(key);
        List<Object> carriers = List.of(created, created.apiKey(), format.parse(key),
                ApiKeyAuthenticationToken.unauthenticated(key),
                ApiKeyAuthenticationToken.authenticated(ApiKeyPrincipal.of(created.apiKey())),
                ApiKeyPrincipal.of(created.apiKey()),
                new ApiKeyRequests.Created(created.plaintext(), ApiKeyPrincipal.of(created.apiKey())),
                new ApiKeyRequests.Verify(key, List.of(), "203.0.113.7", "https://app.example.com"),
                rotatedKey(service), properties, properties.getBootstrap(), service);

        for (Object carrier : carriers) {
            assertNoSecret(carrier.getClass().getSimpleName() + ".toString()", carrier.toString(),
                    List.of(key, created.plaintext()));
        }
    }

    /** A key after a rotation in its grace period: it holds the hashes of two secrets. */
    private static ApiKeyPrincipal rotatedKey(ApiKeyService service) {
        CreatedApiKey created = service.create(NewApiKey.named("rotated"));
        CreatedApiKey rotated = service.rotate(created.apiKey().getId(), java.time.Duration.ofHours(1));
        String view = ApiKeyPrincipal.of(rotated.apiKey()).toString() + rotated.apiKey() + rotated;
        assertNoSecret("a rotated key's toString", view, List.of(created.plaintext(), rotated.plaintext()));
        assertThat(view).doesNotContain(rotated.apiKey().getKeyHash()).doesNotContain(
                rotated.apiKey().getPreviousKeyHash());
        return ApiKeyPrincipal.of(rotated.apiKey());
    }

    /** Creates keys over HTTP and uses them in every way; collects their plaintexts and the other responses. */
    private void exercise(ConfigurableApplicationContext app, List<String> secrets, List<String> otherResponses)
            throws Exception {
        String base = "http://127.0.0.1:" + app.getEnvironment().getProperty("local.server.port");
        String admin = app.getBean(ApiKeyService.class)
                .create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
        secrets.add(admin);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String body = send(base, "POST", "/api-keys", admin, "{\"name\":\"leak-" + i + "\",\"scopes\":[\"read\"]}");
            Matcher key = CREATED_KEY.matcher(body);
            assertThat(key.find()).as(body).isTrue();
            secrets.add(key.group(1));
            Matcher id = ID.matcher(body);
            assertThat(id.find()).isTrue();
            ids.add(id.group(1));
        }
        String user = secrets.get(1);
        otherResponses.add(send(base, "GET", "/api-keys", admin, null));
        otherResponses.add(send(base, "GET", "/api-keys/" + ids.get(0), admin, null));
        otherResponses.add(send(base, "POST", "/api-keys/search", admin, "{\"nameContains\":\"leak\"}"));
        otherResponses.add(send(base, "POST", "/api-keys/count", admin, "{}"));
        otherResponses.add(send(base, "PATCH", "/api-keys/" + ids.get(0), admin, "{\"description\":\"changed\"}"));
        otherResponses.add(send(base, "POST", "/api-keys/verify", admin, "{\"apiKey\":\"" + user + "\"}"));
        otherResponses.add(send(base, "POST", "/api-keys/verify", admin,
                "{\"apiKey\":\"" + user.substring(0, user.length() - 1) + "x\"}"));
        otherResponses.add(send(base, "GET", "/api-keys", user, null));
        otherResponses.add(send(base, "GET", "/api-keys", user.substring(0, user.length() - 1) + "x", null));
        otherResponses.add(send(base, "POST", "/api-keys/" + ids.get(1) + "/deactivate", admin, null));
        otherResponses.add(send(base, "GET", "/api-keys", secrets.get(2), null));
        otherResponses.add(send(base, "DELETE", "/api-keys/" + ids.get(2), admin, null));
        otherResponses.add(send(base, "GET", "/api-keys", secrets.get(3), null));
        otherResponses.add(send(base, "GET", "/v3/api-docs", admin, null));
        otherResponses.add(send(base, "POST", "/api-keys", admin, "{\"name\":\"" + "x".repeat(200) + "\"}"));

        // A rotation: its answer holds the new secret, as a create's does; the old one keeps working for an hour.
        String rotation = send(base, "POST", "/api-keys/" + ids.get(0) + "/rotate", admin,
                "{\"gracePeriod\":\"PT1H\"}");
        Matcher rotated = CREATED_KEY.matcher(rotation);
        assertThat(rotated.find()).as(rotation).isTrue();
        secrets.add(rotated.group(1));
        otherResponses.add(send(base, "GET", "/api-keys", user, null));
        otherResponses.add(send(base, "GET", "/api-keys", rotated.group(1), null));
        otherResponses.add(send(base, "GET", "/api-keys/" + ids.get(0), admin, null));
        otherResponses.add(send(base, "POST", "/api-keys/verify", admin, "{\"apiKey\":\"" + rotated.group(1) + "\"}"));
        // Refusals for restrictions and used-up credits.
        String restricted = CREATED_KEY.matcher(send(base, "POST", "/api-keys", admin,
                "{\"name\":\"restricted\",\"allowedIps\":[\"203.0.113.0/24\"],\"allowedOrigins\":"
                        + "[\"https://app.example.com\"],\"remaining\":1}")).results().findFirst().orElseThrow()
                .group(1);
        secrets.add(restricted);
        String metered = CREATED_KEY.matcher(send(base, "POST", "/api-keys", admin,
                "{\"name\":\"metered\",\"remaining\":1,\"ownerId\":\"tenant-1\",\"metadata\":{\"tier\":\"gold\"}}"))
                .results().findFirst().orElseThrow().group(1);
        secrets.add(metered);
        otherResponses.add(send(base, "GET", "/api-keys", restricted, null));
        otherResponses.add(send(base, "POST", "/api-keys/verify", admin, "{\"apiKey\":\"" + restricted
                + "\",\"clientAddress\":\"198.51.100.7\",\"origin\":\"https://evil.example\"}"));
        otherResponses.add(send(base, "GET", "/api-keys", metered, null));
        otherResponses.add(send(base, "GET", "/api-keys", metered, null));
        otherResponses.add(send(base, "GET", "/api-keys?ownerId=tenant-1&metadata=tier:gold", admin, null));
        app.getBean(UsageRecorder.class).flush();
        // The audit trail of all of the above: its routes, its rows and its application events.
        String events = send(base, "GET", "/api-keys/events?limit=100", admin, null);
        assertThat(events).contains("\"action\":\"rotate\"").contains("\"action\":\"delete\"");
        otherResponses.add(events);
        otherResponses.add(send(base, "GET", "/api-keys/" + ids.get(0) + "/events", admin, null));
        otherResponses.add(send(base, "GET", "/api-keys/events/verify", admin, null));
        org.springframework.jdbc.core.JdbcTemplate jdbc = app.getBean(org.springframework.jdbc.core.JdbcTemplate.class);
        List<String> hashes = new ArrayList<>(jdbc.queryForList("SELECT key_hash FROM api_keys", String.class));
        hashes.addAll(jdbc.queryForList("SELECT previous_key_hash FROM api_keys WHERE previous_key_hash IS NOT NULL",
                String.class));
        assertThat(hashes).hasSizeGreaterThan(5);
        String eventRows = jdbc.queryForList("SELECT * FROM api_key_events").toString();
        assertThat(eventRows).contains("rotate");
        for (String hash : hashes) {
            // The full hash, and its digest part (after the last '$'): neither in any event or its routes' answers.
            String digest = hash.substring(hash.lastIndexOf('$') + 1);
            assertThat(eventRows + events).as("audit events").doesNotContain(hash).doesNotContain(digest);
        }
    }

    private String send(String base, String method, String path, String key, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .header("Authorization", "Bearer " + key)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode() + " " + response.headers().map() + " " + response.body();
    }

    private static ConfigurableApplicationContext start(List<String> extra) {
        List<String> properties = new ArrayList<>(extra);
        properties.addAll(List.of("api-key.pepper=" + PEPPER, "server.port=0", "logging.level.root=debug",
                "api-key.hasher.argon2.memory-kib=1024", "api-key.hasher.argon2.iterations=1",
                "api-key.hasher.argon2.parallelism=1", "spring.jpa.hibernate.ddl-auto=none"));
        return new SpringApplicationBuilder(ManagementApplication.class).web(WebApplicationType.SERVLET)
                .properties(properties.toArray(String[]::new)).run();
    }

    private static void assertNoSecret(String where, String text, List<String> secrets) {
        for (String secret : secrets) {
            String secretPart = secret.substring(secret.lastIndexOf('-') + 1);
            assertThat(text).as(where).doesNotContain(secret).doesNotContain(secretPart.substring(4, 60));
        }
        assertThat(text).as(where + " (pepper)").doesNotContain(PEPPER);
    }

    private static String readLatin1(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
