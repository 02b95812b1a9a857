package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.UsageExceededException;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.jdbc.datasource.init.ScriptUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A key table created by release 1's script (a copy in {@code v1/}), with keys in it written through release 1's
 * columns only, brought to schema version 2 by the upgrade script or at start-up: every key still verifies, and
 * owners, metadata, credits and rotation work on the upgraded table, and the audit trail's tables of version 3 come
 * with it. A table left outdated stops start-up with the scripts to run.
 */
@ExtendWith(OutputCaptureExtension.class)
class SchemaUpgradeTests {

    private static final String PEPPER = "schema-upgrade-test-pepper-0123456789";

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void theUpgradeScriptKeepsEveryKeyVerifyingAndTheNewFeaturesWork(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase database = TestDatabase.create(kind)) {
            List<CreatedApiKey> keys = createVersion1Table(database, "api_keys");

            // Twice: the scripts are idempotent, for a rerun after a partial failure or by a second instance.
            for (int run = 0; run < 2; run++) {
                runScript(database, "io/github/apikey/spring/jpa/upgrade-1-to-2-" + platform(kind) + ".sql",
                        "api_keys");
                runScript(database, "io/github/apikey/spring/jpa/upgrade-2-to-3-" + platform(kind) + ".sql",
                        "api_keys");
            }

            assertThat(columns(database, "api_keys")).containsAll(ApiKeySchemaUpgrade.VERSION_2_COLUMNS);
            // 'never': the starter changes nothing, only checks the table, and Hibernate validates it.
            try (ConfigurableApplicationContext context = start(database, "api-key.jdbc.initialize-schema=never")) {
                assertEveryKeyVerifiesAndTheNewFeaturesWork(context.getBean(ApiKeyService.class), keys);
                assertTheAuditTrailWorks(context.getBean(ApiKeyService.class));
            }
        }
    }

    /**
     * An installation of schema version 2 (no audit tables): start-up with a mode that may not change it stops naming
     * the version 3 script alone; with {@code always} it gets the tables, and the audit trail works.
     */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void aVersion2InstallationGetsTheAuditTablesOrAFailureNamingTheirScript(TestDatabase.Kind kind,
                                                                            CapturedOutput output) throws Exception {
        try (TestDatabase database = TestDatabase.create(kind)) {
            List<CreatedApiKey> keys = createVersion1Table(database, "api_keys");
            runScript(database, "io/github/apikey/spring/jpa/upgrade-1-to-2-" + platform(kind) + ".sql", "api_keys");
            String script = "classpath:io/github/apikey/spring/jpa/upgrade-2-to-3-" + platform(kind) + ".sql";

            assertThatThrownBy(() -> start(database, "api-key.jdbc.initialize-schema=never"))
                    .hasRootCauseInstanceOf(OutdatedApiKeySchemaException.class).rootCause()
                    .hasMessageContaining("table api_key_events, table api_key_events_head")
                    .hasMessageContaining("Run the upgrade script " + script + " against")
                    .hasMessageNotContaining("upgrade-1-to-2");
            assertThat(output).contains("APPLICATION FAILED TO START").contains(script);
            // With the audit trail off, a version 2 table is all the starter needs.
            try (ConfigurableApplicationContext context = start(io.github.apikey.spring.jpa.app.OutsideApplication.class,
                    database, "api-key.jdbc.initialize-schema=never", "api-key.audit.enabled=false")) {
                assertThat(context.getBean(ApiKeyService.class).isAuditEnabled()).isFalse();
                assertThat(context.getBean(ApiKeyService.class).verify(keys.get(0).plaintext()).getId())
                        .isEqualTo(keys.get(0).apiKey().getId());
            }

            try (ConfigurableApplicationContext context = start(database, "api-key.jdbc.initialize-schema=always")) {
                assertThat(columns(database, "api_key_events")).contains("seq", "event_hash", "previous_hash");
                assertTheAuditTrailWorks(context.getBean(ApiKeyService.class));
            }
        }
    }

    private static void assertTheAuditTrailWorks(ApiKeyService service) {
        io.github.apikey.core.domain.ApiKey key = service.create(NewApiKey.named("audited")).apiKey();
        service.deactivate(key.getId());
        assertThat(service.findEvents(new io.github.apikey.core.store.ApiKeyEventFilter(key.getId(), null, null,
                null, null, 0, 10))).hasSize(2);
        assertThat(service.verifyEvents().valid()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void startingWithInitializeSchemaAlwaysUpgradesTheTable(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase database = TestDatabase.create(kind)) {
            List<CreatedApiKey> keys = createVersion1Table(database, "api_keys");

            try (ConfigurableApplicationContext context = start(database, "api-key.jdbc.initialize-schema=always")) {
                assertThat(columns(database, "api_keys")).containsAll(ApiKeySchemaUpgrade.VERSION_2_COLUMNS);
                assertEveryKeyVerifiesAndTheNewFeaturesWork(context.getBean(ApiKeyService.class), keys);
            }
            // The next start finds a current table and runs only the idempotent schema script.
            try (ConfigurableApplicationContext context = start(database, "api-key.jdbc.initialize-schema=always")) {
                // The first key's credits are used up above; the second has none.
                assertThat(context.getBean(ApiKeyService.class).verify(keys.get(1).plaintext()).getId())
                        .isEqualTo(keys.get(1).apiKey().getId());
            }
        }
    }

    /** H2 in memory is embedded: the default mode creates its schema, and so upgrades it too. */
    @Test
    void theDefaultModeUpgradesAnEmbeddedDatabase() throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.H2)) {
            List<CreatedApiKey> keys = createVersion1Table(database, "api_keys");

            try (ConfigurableApplicationContext context = start(database)) {
                assertEveryKeyVerifiesAndTheNewFeaturesWork(context.getBean(ApiKeyService.class), keys);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void anOutdatedTableTheStarterMayNotChangeStopsStartUpNamingTheScript(TestDatabase.Kind kind,
                                                                          CapturedOutput output) throws Exception {
        try (TestDatabase database = TestDatabase.create(kind)) {
            createVersion1Table(database, "api_keys");
            List<String> modes = new ArrayList<>(List.of("never"));
            if (kind != TestDatabase.Kind.H2) {
                // The default, 'embedded', creates nothing on a database server: the usual production setting.
                modes.add("embedded");
            }
            String script = "classpath:io/github/apikey/spring/jpa/upgrade-1-to-2-" + platform(kind) + ".sql";
            for (String mode : modes) {
                assertThatThrownBy(() -> start(database, "api-key.jdbc.initialize-schema=" + mode))
                        .as(mode).hasRootCauseInstanceOf(OutdatedApiKeySchemaException.class)
                        .rootCause().hasMessageContaining(script + ", then classpath:io/github/apikey/spring/jpa/"
                                + "upgrade-2-to-3-" + platform(kind) + ".sql")
                        .hasMessageContaining(String.join(", ", ApiKeySchemaUpgrade.VERSION_2_COLUMNS));
            }

            // The failure analysis Spring Boot prints, registered through spring.factories.
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("The API key table 'api_keys' was created by an earlier version of the starter")
                    .contains("Run the upgrade script " + script)
                    .contains("api-key.jdbc.initialize-schema=always");
            assertThat(columns(database, "api_keys")).doesNotContain("owner_id");
        }
    }

    @Test
    void aConfiguredTableNameIsUpgradedAndNamedInTheFailure(CapturedOutput output) throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            List<CreatedApiKey> keys = createVersion1Table(database, "tenant_keys");

            assertThatThrownBy(() -> start(database, "api-key.jdbc.table-name=tenant_keys"))
                    .rootCause().isInstanceOf(OutdatedApiKeySchemaException.class)
                    .hasMessageContaining("'tenant_keys'").hasMessageContaining("api_keys replaced by tenant_keys")
                    .hasMessageContaining("api_key_events by tenant_keys_events");
            assertThat(output).contains("with api_keys replaced by tenant_keys");

            try (ConfigurableApplicationContext context = start(database, "api-key.jdbc.table-name=tenant_keys",
                    "api-key.jdbc.initialize-schema=always")) {
                assertThat(columns(database, "tenant_keys")).containsAll(ApiKeySchemaUpgrade.VERSION_2_COLUMNS);
                assertThat(indexes(database, "tenant_keys")).contains("ix_tenant_keys_owner_id");
                assertThat(columns(database, "tenant_keys_events")).contains("seq", "event_hash");
                assertThat(columns(database, "tenant_keys_events_head")).contains("last_seq", "last_hash");
                assertTheAuditTrailWorks(context.getBean(ApiKeyService.class));
                assertEveryKeyVerifiesAndTheNewFeaturesWork(context.getBean(ApiKeyService.class), keys);
            }
        }
    }

    /** An upgraded table and a new one are the same table, so that no code has to tell them apart. */
    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void anUpgradedTableHasTheColumnsOfANewOne(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase database = TestDatabase.create(kind)) {
            runScript(database, "io/github/apikey/spring/jpa/v1/schema-" + platform(kind) + ".sql", "upgraded");
            runScript(database, "io/github/apikey/spring/jpa/upgrade-1-to-2-" + platform(kind) + ".sql", "upgraded");
            runScript(database, "io/github/apikey/spring/jpa/schema-" + platform(kind) + ".sql", "created");

            Map<String, String> upgraded = columnTypes(database, "upgraded");
            assertThat(upgraded).containsAllEntriesOf(columnTypes(database, "created"))
                    .hasSameSizeAs(columnTypes(database, "created"));
            // Our own indexes only: H2 names the indexes behind constraints itself, differently per table.
            Set<String> created = new HashSet<>();
            for (String index : indexes(database, kind == TestDatabase.Kind.H2 ? "CREATED" : "created")) {
                if (index.startsWith("ix_created_")) {
                    created.add(index.replaceFirst("^ix_created_", "ix_upgraded_"));
                }
            }
            assertThat(indexes(database, kind == TestDatabase.Kind.H2 ? "UPGRADED" : "upgraded"))
                    .contains("ix_upgraded_owner_id", "ix_upgraded_created_at_desc",
                            kind == TestDatabase.Kind.POSTGRESQL ? "ix_upgraded_expires_at_covering"
                                    : "ix_upgraded_expires_at")
                    .containsAll(created);
        }
    }

    /**
     * A PostgreSQL table whose indexes on expiry and last use came from an earlier script gets the covering ones at
     * the next start with a schema mode that runs the script; the narrow ones are left for the DBA to drop.
     */
    @Test
    void aTableOfAnEarlierScriptGetsTheCoveringIndexesAndKeepsItsOwn() throws Exception {
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL)) {
            runScript(database, "io/github/apikey/spring/jpa/schema-postgresql.sql", "api_keys");
            try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP INDEX ix_api_keys_expires_at_covering");
                statement.execute("DROP INDEX ix_api_keys_last_used_at_covering");
                statement.execute("CREATE INDEX ix_api_keys_expires_at ON api_keys (expires_at)");
                statement.execute(
                        "CREATE INDEX ix_api_keys_last_used_at ON api_keys (last_used_at DESC NULLS LAST, id)");
            }

            try (ConfigurableApplicationContext context = start(database, "api-key.jdbc.initialize-schema=always")) {
                assertThat(indexes(database, "api_keys"))
                        .contains("ix_api_keys_expires_at_covering", "ix_api_keys_last_used_at_covering",
                                "ix_api_keys_expires_at", "ix_api_keys_last_used_at");
            }
        }
    }

    /**
     * Instances of a new release starting together on an old table: both upgrade it (the scripts are idempotent,
     * and a catalog clash on PostgreSQL is retried), and both start.
     */
    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"POSTGRESQL", "MARIADB"})
    void twoInstancesUpgradingTheSameTableAtOnceBothSucceed(TestDatabase.Kind kind) throws Exception {
        try (TestDatabase database = TestDatabase.create(kind)) {
            for (int round = 0; round < 5; round++) {
                try (Connection connection = database.connect(); Statement statement = connection.createStatement()) {
                    statement.execute("DROP TABLE IF EXISTS api_keys");
                }
                createVersion1Table(database, "api_keys");
                CyclicBarrier together = new CyclicBarrier(2);
                List<CompletableFuture<Boolean>> instances = new ArrayList<>();
                for (int i = 0; i < 2; i++) {
                    instances.add(CompletableFuture.supplyAsync(() -> {
                        ApiKeySchemaInitializer initializer = new ApiKeySchemaInitializer(dataSource(database),
                                DatabaseInitializationMode.ALWAYS, null, "api_keys");
                        try {
                            together.await(1, TimeUnit.MINUTES);
                        } catch (Exception e) {
                            throw new IllegalStateException(e);
                        }
                        return initializer.initializeDatabase();
                    }));
                }
                for (CompletableFuture<Boolean> instance : instances) {
                    assertThat(instance.get(1, TimeUnit.MINUTES)).as("round %d", round).isTrue();
                }
                assertThat(columns(database, "api_keys")).containsAll(ApiKeySchemaUpgrade.VERSION_2_COLUMNS);
            }
        }
    }

    private static void assertEveryKeyVerifiesAndTheNewFeaturesWork(ApiKeyService service,
                                                                     List<CreatedApiKey> keys) {
        for (CreatedApiKey key : keys) {
            if (key.apiKey().isActive()) {
                ApiKey verified = service.verify(key.plaintext());
                assertThat(verified.getId()).isEqualTo(key.apiKey().getId());
                assertThat(verified.getScopes()).containsExactlyElementsOf(key.apiKey().getScopes());
                assertThat(verified.getOwnerId()).isNull();
                assertThat(verified.hasUsageCredits()).isFalse();
            } else {
                assertThatThrownBy(() -> service.verify(key.plaintext())).isInstanceOf(KeyInactiveException.class);
            }
        }

        ApiKey first = keys.get(0).apiKey();
        service.update(first.getId(), ApiKeyChanges.builder().ownerId("tenant-1")
                .metadata(Map.of("plan", "pro", "seats", 3)).remaining(2L).build());
        assertThat(service.find(ApiKeyFilter.builder().ownerId("tenant-1").build()))
                .extracting(ApiKey::getId).containsExactly(first.getId());
        assertThat(service.find(ApiKeyFilter.builder().metadataEquals(Map.of("seats", "3")).build()))
                .extracting(ApiKey::getId).containsExactly(first.getId());

        CreatedApiKey rotated = service.rotate(first.getId(), Duration.ofHours(1));
        assertThat(service.verify(rotated.plaintext()).getRemaining()).isEqualTo(1L);
        // The old secret is in its grace period, and the credits are the key's, whichever secret is used.
        assertThat(service.verify(keys.get(0).plaintext()).getRemaining()).isZero();
        assertThatThrownBy(() -> service.verify(rotated.plaintext())).isInstanceOf(UsageExceededException.class);
    }

    /**
     * The table as release 1 created it, and keys in it as release 1 wrote them: through its columns only, with
     * the HMAC hashes and the key format the application is configured with.
     */
    private static List<CreatedApiKey> createVersion1Table(TestDatabase database, String table) throws Exception {
        runScript(database, "io/github/apikey/spring/jpa/v1/schema-" + platform(database.kind()) + ".sql", table);
        ApiKeyService release1 = new ApiKeyService(new InMemoryApiKeyStore(), new HmacSha256ApiKeyHasher(PEPPER));
        List<CreatedApiKey> keys = List.of(
                release1.create(NewApiKey.named("plain")),
                release1.create(NewApiKey.named("scoped").withScopes(List.of("read", "write"))),
                release1.create(NewApiKey.named("expiring").withDescription("until next year")
                        .withExpiresAt(Instant.now().plus(Duration.ofDays(365)))),
                release1.create(NewApiKey.named("disabled").withActive(false)));
        try (Connection connection = database.connect(); PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO " + table + " (id, name, description, is_active, expires_at, created_at, last_used_at, "
                        + "key_id, key_hash, key_secret_first, key_secret_last, scopes) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (CreatedApiKey created : keys) {
                ApiKey key = created.apiKey();
                insert.setString(1, key.getId().toString());
                insert.setString(2, key.getName());
                insert.setString(3, key.getDescription());
                insert.setBoolean(4, key.isActive());
                insert.setTimestamp(5, key.getExpiresAt() == null ? null : Timestamp.from(key.getExpiresAt()));
                insert.setTimestamp(6, Timestamp.from(key.getCreatedAt()));
                insert.setTimestamp(7, null);
                insert.setString(8, key.getKeyId());
                insert.setString(9, key.getKeyHash());
                insert.setString(10, key.getSecretFirst());
                insert.setString(11, key.getSecretLast());
                insert.setString(12, ScopesJson.write(key.getScopes()));
                insert.executeUpdate();
            }
        }
        return keys;
    }

    private static ConfigurableApplicationContext start(TestDatabase database, String... extra) {
        return start(UpgradedApplication.class, database, extra);
    }

    private static ConfigurableApplicationContext start(Class<?> application, TestDatabase database,
                                                        String... extra) {
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(List.of("api-key.pepper=" + PEPPER, "api-key.hasher.type=hmac-sha256",
                "spring.jpa.hibernate.ddl-auto=validate", "spring.main.banner-mode=off"));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    private static void runScript(TestDatabase database, String location, String table) throws IOException,
            SQLException {
        String script = new ClassPathResource(location).getContentAsString(StandardCharsets.UTF_8);
        try (Connection connection = database.connect()) {
            ScriptUtils.executeSqlScript(connection, new ByteArrayResource(
                    ApiKeySchemaInitializer.rewrite(script, table).getBytes(StandardCharsets.UTF_8)));
        }
    }

    private static Set<String> columns(TestDatabase database, String table) throws SQLException {
        Set<String> columns = new HashSet<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet empty = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            for (int i = 1; i <= empty.getMetaData().getColumnCount(); i++) {
                columns.add(empty.getMetaData().getColumnName(i).toLowerCase(Locale.ROOT));
            }
        }
        return columns;
    }

    private static Set<String> indexes(TestDatabase database, String table) throws SQLException {
        Set<String> indexes = new HashSet<>();
        try (Connection connection = database.connect();
             ResultSet found = connection.getMetaData().getIndexInfo(null, null, table, false, false)) {
            while (found.next()) {
                indexes.add(found.getString("INDEX_NAME").toLowerCase(Locale.ROOT));
            }
        }
        return indexes;
    }

    /** Name to type, size and nullability, as JDBC reports them. */
    private static Map<String, String> columnTypes(TestDatabase database, String table) throws SQLException {
        Map<String, String> types = new TreeMap<>();
        try (Connection connection = database.connect(); Statement statement = connection.createStatement();
             ResultSet empty = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData columns = empty.getMetaData();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                types.put(columns.getColumnName(i).toLowerCase(Locale.ROOT), columns.getColumnTypeName(i) + "("
                        + columns.getPrecision(i) + "," + columns.getScale(i) + ") nullable="
                        + columns.isNullable(i));
            }
        }
        return types;
    }

    private static DataSource dataSource(TestDatabase database) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(database.url());
        for (String property : database.springProperties()) {
            if (property.startsWith("spring.datasource.username=")) {
                dataSource.setUsername(property.substring("spring.datasource.username=".length()));
            } else if (property.startsWith("spring.datasource.password=")) {
                dataSource.setPassword(property.substring("spring.datasource.password=".length()));
            }
        }
        return dataSource;
    }

    private static String platform(TestDatabase.Kind kind) {
        return switch (kind) {
            case H2 -> "h2";
            case POSTGRESQL -> "postgresql";
            case MARIADB -> "mysql";
        };
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class UpgradedApplication {
    }
}
