package io.github.apikey.spring.jpa;

import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances starting at once on an empty PostgreSQL database both create the table: PostgreSQL's
 * {@code CREATE TABLE IF NOT EXISTS} fails with a unique violation in its catalog when another session creates the
 * same table at the same moment, and that must not fail a start-up.
 */
class ConcurrentSchemaInitializationTests {

    private static final int ROUNDS = 20;

    private TestDatabase database;

    @AfterEach
    void drop() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void twoInitializersRunningTogetherOnAnEmptyPostgresDatabaseBothSucceed() throws Exception {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        String[] credentials = credentials();
        for (int round = 0; round < ROUNDS; round++) {
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS api_keys");
            }
            CyclicBarrier together = new CyclicBarrier(2);
            CompletableFuture<Boolean> a = CompletableFuture.supplyAsync(() -> initialize(together, credentials));
            CompletableFuture<Boolean> b = CompletableFuture.supplyAsync(() -> initialize(together, credentials));

            assertThat(a.get(1, TimeUnit.MINUTES)).as("round %d", round).isTrue();
            assertThat(b.get(1, TimeUnit.MINUTES)).as("round %d", round).isTrue();
        }
    }

    private boolean initialize(CyclicBarrier together, String[] credentials) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(database.url(), credentials[0],
                credentials[1]);
        ApiKeySchemaInitializer initializer = new ApiKeySchemaInitializer(dataSource, DatabaseInitializationMode.ALWAYS,
                "postgresql", "api_keys");
        try {
            together.await(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return initializer.initializeDatabase();
    }

    private String[] credentials() {
        String user = null;
        String password = "";
        for (String property : database.springProperties()) {
            if (property.startsWith("spring.datasource.username=")) {
                user = property.substring("spring.datasource.username=".length());
            } else if (property.startsWith("spring.datasource.password=")) {
                password = property.substring("spring.datasource.password=".length());
            }
        }
        return new String[] {user, password};
    }
}
