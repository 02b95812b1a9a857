package io.github.apikey.spring.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import org.testcontainers.containers.JdbcDatabaseContainer;
import org.testcontainers.mariadb.MariaDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * A fresh, empty database for one test class: on the server running on 127.0.0.1 when there is one, else in a
 * Testcontainers container when Docker is there, else the test is skipped (or fails, see {@link ExternalServices}).
 * Closing it drops the database, so runs never collide and leave nothing behind.
 */
public final class TestDatabase implements AutoCloseable {

    public enum Kind {
        H2, POSTGRESQL, MARIADB
    }

    private final Kind kind;
    private final String url;
    private final String username;
    private final String password;
    private final String adminUrl;
    private final String name;
    private final JdbcDatabaseContainer<?> container;

    private TestDatabase(Kind kind, String url, String username, String password, String adminUrl, String name,
                         JdbcDatabaseContainer<?> container) {
        this.kind = kind;
        this.url = url;
        this.username = username;
        this.password = password;
        this.adminUrl = adminUrl;
        this.name = name;
        this.container = container;
    }

    public static TestDatabase create(Kind kind) {
        String name = "apikey_it_" + HexFormat.of().formatHex(randomBytes());
        return switch (kind) {
            case H2 -> new TestDatabase(kind, "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1", "sa", "", null, name, null);
            case POSTGRESQL -> onServer(kind, name, "jdbc:postgresql://127.0.0.1:5432/postgres?connectTimeout=3",
                    "jdbc:postgresql://127.0.0.1:5432/" + name, env("APIKEY_IT_POSTGRES_USER", "postgres"),
                    env("APIKEY_IT_POSTGRES_PASSWORD", ""));
            case MARIADB -> onServer(kind, name, "jdbc:mariadb://127.0.0.1:3306/?connectTimeout=3000",
                    "jdbc:mariadb://127.0.0.1:3306/" + name, env("APIKEY_IT_MARIADB_USER", "root"),
                    env("APIKEY_IT_MARIADB_PASSWORD", ""));
        };
    }

    private static TestDatabase onServer(Kind kind, String name, String adminUrl, String url, String username,
                                         String password) {
        try {
            execute(adminUrl, username, password, "CREATE DATABASE " + name);
            return new TestDatabase(kind, url, username, password, adminUrl, name, null);
        } catch (SQLException serverDown) {
            if (ExternalServices.dockerAvailable()) {
                return inContainer(kind, name);
            }
            throw ExternalServices.unavailable(kind + " on 127.0.0.1",
                    "start the server (.ci/run shows how) or Docker for Testcontainers", serverDown);
        }
    }

    private static TestDatabase inContainer(Kind kind, String name) {
        JdbcDatabaseContainer<?> container = kind == Kind.POSTGRESQL
                ? new PostgreSQLContainer("postgres:16-alpine").withDatabaseName(name)
                : new MariaDBContainer("mariadb:11").withDatabaseName(name);
        container.start();
        String adminUrl = container.getJdbcUrl().replaceFirst("/" + name + "(?=\\?|$)",
                kind == Kind.POSTGRESQL ? "/postgres" : "/");
        return new TestDatabase(kind, container.getJdbcUrl(), container.getUsername(), container.getPassword(),
                adminUrl, name, container);
    }

    public Kind kind() {
        return kind;
    }

    public String url() {
        return url;
    }

    /** Spring Boot properties that point the DataSource at this database. */
    public List<String> springProperties() {
        return List.of("spring.datasource.url=" + url, "spring.datasource.username=" + username,
                "spring.datasource.password=" + password);
    }

    /**
     * Makes the database refuse connections and drops the open ones, as if its server had gone down, without
     * touching other databases of the same server (PostgreSQL only).
     */
    public void refuseConnections() throws SQLException {
        requirePostgres();
        executeAsAdmin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        executeAsAdmin("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name + "'");
    }

    /** Undoes {@link #refuseConnections()}. */
    public void acceptConnections() throws SQLException {
        requirePostgres();
        executeAsAdmin("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
    }

    private void requirePostgres() {
        if (kind != Kind.POSTGRESQL) {
            throw new UnsupportedOperationException("only for PostgreSQL");
        }
    }

    private void executeAsAdmin(String sql) throws SQLException {
        execute(adminUrl, username, password, sql);
    }

    /** A plain-SQL dump of this PostgreSQL database, made by {@code pg_dump}. */
    public String dump() throws java.io.IOException, InterruptedException {
        requirePostgres();
        java.net.URI server = java.net.URI.create(url.substring("jdbc:".length()));
        Process process = new ProcessBuilder("pg_dump", "--host=" + server.getHost(), "--port=" + server.getPort(),
                "--username=" + username, "--no-password", name).redirectErrorStream(true).start();
        String dump = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            throw new IllegalStateException("pg_dump failed: " + dump);
        }
        return dump;
    }

    /** Points a {@code @SpringBootTest}'s DataSource at this database, from a {@code @DynamicPropertySource}. */
    public void registerWith(org.springframework.test.context.DynamicPropertyRegistry registry) {
        for (String property : springProperties()) {
            String[] nameAndValue = property.split("=", 2);
            registry.add(nameAndValue[0], () -> nameAndValue[1]);
        }
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(url, credentials(username, password));
    }

    @Override
    public void close() throws SQLException {
        if (container != null) {
            container.stop();
        } else if (kind != Kind.H2) {
            execute(adminUrl, username, password, kind == Kind.POSTGRESQL
                    ? "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)" : "DROP DATABASE IF EXISTS " + name);
        } else {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("SHUTDOWN");
            }
        }
    }

    @Override
    public String toString() {
        return kind + " " + url;
    }

    private static void execute(String url, String username, String password, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, credentials(username, password));
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private static Properties credentials(String username, String password) {
        Properties properties = new Properties();
        properties.setProperty("user", username);
        properties.setProperty("password", password);
        return properties;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static byte[] randomBytes() {
        byte[] bytes = new byte[6];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }
}
