package io.github.apikey.cli;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar on a fresh PostgreSQL database of the local server (127.0.0.1:5432, user
 * {@code APIKEY_IT_POSTGRES_USER}, default postgres): a smaller tour than on H2, with the PostgreSQL schema (JSON
 * columns) created by the starter, keys shared with a starter application both ways, and keyshield's variables
 * imported. Skips without the server, or fails when {@code APIKEY_IT_REQUIRE_SERVICES=1}, as the other modules'
 * integration tests do.
 */
class CliPostgresIT {

    private static final String HOST = "jdbc:postgresql://127.0.0.1:5432/";
    private static final String USER = env("APIKEY_IT_POSTGRES_USER", "postgres");
    private static final String PASSWORD = env("APIKEY_IT_POSTGRES_PASSWORD", "");

    private final String database = "apikey_cli_it_" + HexFormat.of().formatHex(randomBytes());
    private boolean created;

    @TempDir
    Path directory;

    @AfterEach
    void dropDatabase() throws SQLException {
        if (created) {
            admin("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
        }
    }

    @Test
    void aTourOnPostgresql() throws Exception {
        createDatabase();
        String url = HOST + database;
        Cli cli = new Cli(directory).env("API_KEY_DB_URL", url).env("API_KEY_DB_USER", USER)
                .env("API_KEY_PEPPER", CliH2IT.PEPPER);
        if (!PASSWORD.isEmpty()) {
            cli.env("API_KEY_DB_PASSWORD", PASSWORD);
        }

        Cli.Result create = cli.run("create", "--init-schema", "--name", "pg-cli", "--scope", "deploy",
                "--metadata-json", "{\"seats\": 5}", "-q");
        assertThat(create.exitCode()).as(create.toString()).isZero();
        String fromCli = create.stdout().strip();
        assertThat(fromCli).matches(CliH2IT.ANY_KEY);

        String fromLibrary;
        try (ConfigurableApplicationContext application = Library.start(url, USER, CliH2IT.PEPPER)) {
            ApiKeyService service = application.getBean(ApiKeyService.class);
            assertThat(String.valueOf(service.verify(fromCli, List.of("deploy")).getMetadata().get("seats")))
                    .isEqualTo("5");
            fromLibrary = service.create(NewApiKey.named("pg-library")).plaintext();
        }

        // keyshield's variables: a key imported once, the pepper and the database URL left alone.
        String keyshield = "ak_v1-00112233aabbccdd-" + "k".repeat(32) + "S".repeat(32);
        Cli.Result imported = cli.env("API_KEY_BILLING", keyshield).run("import", "--scope", "billing",
                "-o", "json");
        assertThat(imported.exitCode()).as(imported.toString()).isZero();
        assertThat(imported.stdout()).startsWith("[{\"id\":\"").contains("\"keyId\":\"00112233aabbccdd\"",
                "\"name\":\"BILLING\"", "\"scopes\":[\"billing\"]").doesNotContain(keyshield);

        // The same key id with another secret is a conflict, not a second key.
        String clash = "ak_v1-00112233aabbccdd-" + "z".repeat(64);
        Cli.Result conflict = new Cli(directory).env("API_KEY_DB_URL", url).env("API_KEY_DB_USER", USER)
                .env("API_KEY_PEPPER", CliH2IT.PEPPER).env("API_KEY_DB_PASSWORD", PASSWORD)
                .env("API_KEY_OTHER", clash).run("import");
        assertThat(conflict.exitCode()).as(conflict.toString()).isEqualTo(ExitCode.CONFLICT);
        assertThat(conflict.stderr()).contains("already stored with a different secret");

        Cli.Result verify = cli.env("LIBRARY_KEY", fromLibrary).run("verify", "--key-env", "LIBRARY_KEY",
                "--output", "json");
        assertThat(verify.exitCode()).as(verify.toString()).isZero();
        assertThat(verify.stdout()).contains("\"name\":\"pg-library\"");

        Cli.Result count = cli.run("search", "--metadata", "seats=5", "-o", "json");
        assertThat(count.exitCode()).as(count.toString()).isZero();
        assertThat(count.stdout()).startsWith("{\"items\":[{").contains("\"name\":\"pg-cli\"")
                .endsWith("\"total\":1,\"limit\":50,\"offset\":0}\n");

        for (Cli.Result result : List.of(create, imported, conflict, verify, count)) {
            CliH2IT.assertNoSecrets(result, List.of(fromCli, fromLibrary, keyshield, clash));
            System.out.println("exit " + result.exitCode() + " in " + result.took().toMillis() + " ms");
        }
    }

    private void createDatabase() {
        try {
            admin("CREATE DATABASE " + database);
            created = true;
        } catch (SQLException unavailable) {
            String message = "PostgreSQL is not available on 127.0.0.1:5432 (user " + USER + "; set "
                    + "APIKEY_IT_POSTGRES_USER and APIKEY_IT_POSTGRES_PASSWORD for another): " + unavailable;
            if ("1".equals(System.getenv("APIKEY_IT_REQUIRE_SERVICES"))
                    || "true".equalsIgnoreCase(System.getenv("APIKEY_IT_REQUIRE_SERVICES"))) {
                Assertions.fail(message + ". APIKEY_IT_REQUIRE_SERVICES is set, so this fails instead of skipping.");
            }
            Assumptions.abort(message + ". Skipping; set APIKEY_IT_REQUIRE_SERVICES=1 to fail instead.");
        }
    }

    private static void admin(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(HOST + "postgres?connectTimeout=3", USER, PASSWORD);
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
