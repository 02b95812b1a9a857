package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.KeyMetadata;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.ApiKeyStoreContract;
import io.github.apikey.core.store.CreditConsumption;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;

import static io.github.apikey.core.testing.TestKeys.T0;
import static io.github.apikey.core.testing.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The store contract against a real database, through a real Spring Boot application with the starter's
 * auto-configuration: the schema comes from the starter's script, and Hibernate only validates it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JpaApiKeyStoreContractTests extends ApiKeyStoreContract {

    private TestDatabase database;
    private ConfigurableApplicationContext context;

    protected abstract TestDatabase.Kind kind();

    /** Extra properties for this database, for example a schema initialization mode. */
    protected List<String> properties() {
        return List.of("api-key.jdbc.initialize-schema=always");
    }

    @BeforeAll
    void startApplication() {
        database = TestDatabase.create(kind());
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(properties());
        properties.add("api-key.pepper=contract-test-pepper-0123456789a");
        properties.add("spring.jpa.hibernate.ddl-auto=validate");
        properties.add("spring.main.banner-mode=off");
        context = new SpringApplicationBuilder(StoreApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new))
                .run();
    }

    @AfterAll
    void stopApplication() throws Exception {
        if (context != null) {
            context.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @Override
    protected ApiKeyStore createEmptyStore() {
        context.getBean(JdbcTemplate.class).update("DELETE FROM " + tableName());
        return context.getBean(ApiKeyStore.class);
    }

    protected String tableName() {
        return "api_keys";
    }

    @Test
    void theAutoConfiguredStoreIsTheJpaStore() {
        assertThat(store()).isInstanceOf(JpaApiKeyStore.class);
    }

    /**
     * The contract's bounded listings, with 16 keys, never reach the store's walk of 10,000 rows and are answered by
     * sorting every match. Here the same listings run with walks of 1, 4 and 12 rows, so that each filter, order and
     * page is answered by the bounded walk where it finds a whole page and by the sort where it does not.
     */
    @Test
    void boundsOnOneTimePageLikeTheReferenceWhicheverStepAnswers() {
        List<ApiKey> keys = createKeysWithCorrelatedTimes();
        PlatformTransactionManager transactions = context.getBean(PlatformTransactionManager.class);
        for (int orderPrefix : List.of(1, 4, 12)) {
            assertBoundsOnOneTimePageLikeTheReference(new JpaApiKeyStore(repository(), transactions, orderPrefix),
                    keys);
        }
    }

    @Test
    void valueAtReadsTheOrderAmongKeysThatHaveAValue() {
        createKeys(4, (builder, i) -> builder.createdAt(T0.plusSeconds(i))
                .expiresAt(i < 2 ? null : T0.plusSeconds(100 + i)));

        assertThat(repository().valueAt(ApiKeySortField.NAME, false, 0)).contains("key-0");
        assertThat(repository().valueAt(ApiKeySortField.NAME, true, 0)).contains("key-3");
        assertThat(repository().valueAt(ApiKeySortField.NAME, true, 3)).contains("key-0");
        assertThat(repository().valueAt(ApiKeySortField.NAME, true, 4)).isEmpty();
        assertThat(repository().valueAt(ApiKeySortField.EXPIRES_AT, true, 0)).contains(T0.plusSeconds(103));
        assertThat(repository().valueAt(ApiKeySortField.EXPIRES_AT, false, 1)).contains(T0.plusSeconds(103));
        assertThat(repository().valueAt(ApiKeySortField.EXPIRES_AT, false, 2)).isEmpty();
        assertThat(repository().valueAt(ApiKeySortField.CREATED_AT, true, 3)).contains(T0);
        // Through the repository's proxy, which translates it as Spring Data does.
        assertThatThrownBy(() -> repository().valueAt(ApiKeySortField.NAME, false, -1))
                .hasRootCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("position must not be negative: -1");
    }

    private ApiKeyRepository repository() {
        return context.getBean(ApiKeyRepository.class);
    }

    @Test
    void recordUseIsOneTargetedUpdateOfTheLastUsedTime() {
        ApiKey key = key("targeted").build();
        store().create(key);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        jdbc.update("UPDATE " + tableName() + " SET name = 'changed behind the store', is_active = false");

        store().recordUse(key.getId(), key.getCreatedAt().plusSeconds(1));

        Map<String, Object> row = jdbc.queryForMap("SELECT name, is_active FROM " + tableName());
        assertThat(row.values()).containsExactly("changed behind the store", false);
    }

    @Test
    void storesScopesAsAJsonArrayThatKeyshieldReads() {
        ApiKey key = key("json").scopes(List.of("read", "keys:admin")).build();
        store().create(key);

        String stored = context.getBean(JdbcTemplate.class)
                .queryForObject("SELECT scopes FROM " + tableName(), String.class);

        assertThat(stored).isEqualTo("[\"read\",\"keys:admin\"]");
    }

    @Test
    void readsRowsWrittenByKeyshield() {
        ApiKey key = key("written by keyshield").build();
        store().create(key);
        context.getBean(JdbcTemplate.class).update("UPDATE " + tableName() + " SET scopes = ?, name = NULL",
                "[\"read\", \"write\"]");

        ApiKey found = store().findById(key.getId()).orElseThrow();

        assertThat(found.getScopes()).containsExactly("read", "write");
        assertThat(found.getName()).isEmpty();
        assertThat(store().count(ApiKeyFilter.builder().scopesContainAll(List.of("write")).build())).isEqualTo(1);
    }

    @Test
    void reportsAnUnreachableDatabaseAsAStoreFailure() throws Exception {
        ApiKeyStore store = store();
        try (var connection = database.connect()) {
            connection.createStatement().execute("DROP TABLE " + tableName());
        }
        try {
            assertThatThrownBy(() -> store.findByKeyId("0123456789abcdef")).isInstanceOf(ApiKeyStoreException.class);
            assertThatThrownBy(() -> store.create(key("k").build())).isInstanceOf(ApiKeyStoreException.class);
        } finally {
            context.getBean(ApiKeySchemaInitializer.class).initializeDatabase();
        }
    }

    /**
     * Names that a JSON path or SQL would misread if pasted in raw, and values whose text a database could rewrite
     * (numbers in exponent form, escapes, characters outside the BMP): every name with every candidate text must
     * select exactly the keys the reference matcher selects.
     */
    @Test
    void metadataFiltersMatchTheReferenceForAwkwardNamesAndValues() {
        List<String> names = List.of("a.b", "quo\"te", "it's", "what?", "back\\slash", "$", "*", "[0]", "sp ace",
                "ünï😀", "x\")) or 1=1 --", "$.tier", "line\nbreak", "tier");
        List<Object> values = new ArrayList<>(Arrays.asList("gold", "Gold", "", "5", "true", "quote \" back \\ slash",
                "emoji 😀 \u2028 \u0001 é", "{\"x\":1}", "null", 5, -3, 0.75, 1.0E-5, 12345678.5, 1.0E15,
                9_007_199_254_740_993L, true, false, null, List.of("gold"), Map.of("tier", "gold")));
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            for (int n = 0; n < names.size(); n++) {
                // Each key holds every name, each with a different value, so that a name read as another
                // (or a nested member read as a top-level one) selects the wrong keys.
                metadata.put(names.get(n), values.get((i + n) % values.size()));
            }
            metadata.put("nested", Map.of("tier", values.get(i) == null ? "none" : values.get(i)));
            ApiKey key = key("meta-" + i).metadata(metadata).build();
            store().create(key);
            keys.add(key);
        }
        List<String> candidates = new ArrayList<>();
        for (Object value : values) {
            // A scalar's reference text; for null, lists and objects their JSON text, which must not match.
            String json = KeyMetadata.toJson(Collections.singletonMap("v", value));
            candidates.add(value instanceof String || KeyMetadata.scalarText(value) != null
                    ? KeyMetadata.scalarText(value) : json.substring("{\"v\":".length(), json.length() - 1));
        }
        // Texts a database might produce for the values above, which the reference never matches.
        candidates.addAll(List.of("0.000010", "1.0E+15", "1E15", "1", "TRUE", "\"gold\"", "-3.0", "12345678.50"));

        for (String name : names) {
            for (String candidate : candidates) {
                ApiKeyFilter filter = ApiKeyFilter.builder().metadataEquals(Map.of(name, candidate)).build();
                List<UUID> expected = keys.stream().filter(filter::matches).sorted(filter.comparator())
                        .map(ApiKey::getId).toList();
                assertThat(store().find(filter)).as("%s = %s", name, candidate).extracting(ApiKey::getId)
                        .containsExactlyElementsOf(expected);
            }
        }
        // The loop above is only meaningful if the reference does select keys for most names.
        assertThat(keys.stream().filter(ApiKeyFilter.builder().metadataEquals(Map.of("what?", "gold")).build()
                ::matches)).hasSize(1);
    }

    @Test
    void storesLifecycleDataAsJsonTextAndLeavesColumnsEmptyWithoutIt() {
        ApiKey plain = key("plain").build();
        ApiKey rich = key("rich").ownerId("tenant").metadata(Map.of("tier", "gold"))
                .allowedIps(List.of("10.1.2.3/8")).allowedOrigins(List.of("https://App.Example.com:443"))
                .rateLimits(List.of(new RateLimit("requests", 100, Duration.ofMinutes(1)),
                        new RateLimit("daily", 10_000, Duration.ofDays(1)))).build();
        store().create(plain);
        store().create(rich);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        String columns = "SELECT owner_id, metadata, allowed_ips, allowed_origins, remaining, refill_amount, "
                + "refill_interval, last_refill_at, rotated_at, previous_key_hash, previous_secret_expires_at, "
                + "rate_limits FROM "
                + tableName() + " WHERE id = ?";

        // NULL rather than an empty array or object: such a row is what keyshield writes, and it reads the same.
        assertThat(jdbc.queryForMap(columns, plain.getId().toString()).values()).containsOnlyNulls();
        Map<String, Object> row = jdbc.queryForMap(columns, rich.getId().toString());
        assertThat(row.get("metadata")).isEqualTo("{\"tier\":\"gold\"}");
        assertThat(row.get("allowed_ips")).isEqualTo("[\"10.0.0.0/8\"]");
        assertThat(row.get("allowed_origins")).isEqualTo("[\"https://app.example.com\"]");
        assertThat(row.get("owner_id")).isEqualTo("tenant");
        // The window as ISO-8601 text, as the management API shows it: readable in the row, and in SQL.
        assertThat(row.get("rate_limits")).isEqualTo("[{\"name\":\"requests\",\"limit\":100,\"duration\":\"PT1M\"},"
                + "{\"name\":\"daily\",\"limit\":10000,\"duration\":\"PT24H\"}]");
    }

    /** Cleared limits are NULL again, not "[]": the row reads as a key on the configured defaults. */
    @Test
    void clearedRateLimitsLeaveTheColumnNull() {
        ApiKey key = key("limited").rateLimits(List.of(new RateLimit("burst", 5, Duration.ofSeconds(1)))).build();
        store().create(key);
        JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
        String column = "SELECT rate_limits FROM " + tableName() + " WHERE id = ?";
        assertThat(jdbc.queryForObject(column, String.class, key.getId().toString())).isNotNull();

        store().update(key.getId(), ApiKeyChanges.builder().rateLimits(List.of()).build());

        assertThat(jdbc.queryForObject(column, String.class, key.getId().toString())).isNull();
    }

    @Test
    void aRowWithOnlyKeyshieldsColumnsIsAKeyWithoutLifecycleData() {
        ApiKey key = key("keyshield row").build();
        context.getBean(JdbcTemplate.class).update("INSERT INTO " + tableName() + " (id, name, description, "
                        + "is_active, expires_at, created_at, last_used_at, key_id, key_hash, key_secret_first, "
                        + "key_secret_last, scopes) VALUES (?, ?, NULL, ?, NULL, ?, NULL, ?, ?, ?, ?, ?)",
                key.getId().toString(), key.getName(), true, java.sql.Timestamp.from(key.getCreatedAt()),
                key.getKeyId(), key.getKeyHash(), key.getSecretFirst(), key.getSecretLast(), "[\"read\"]");

        ApiKey found = store().findById(key.getId()).orElseThrow();

        assertThat(found.getMetadata()).isEmpty();
        assertThat(found.getAllowedIps()).isEmpty();
        assertThat(found.hasUsageCredits()).isFalse();
        assertThat(store().consumeCredit(key.getId(), key.getCreatedAt())).isEqualTo(CreditConsumption.NOT_COUNTED);
        assertThat(store().count(ApiKeyFilter.builder().metadataEquals(Map.of("tier", "gold")).build())).isZero();
        assertThat(store().count(ApiKeyFilter.builder().ownerId("tenant").build())).isZero();
    }

    /**
     * PostgreSQL and MariaDB quote the clashing value in their unique violation messages, and for a rotation or an
     * import that value is a key hash: the store's exception must carry neither it nor the driver's exception.
     */
    @Test
    void aClashingHashIsReportedWithoutTheHash() {
        ApiKey key = key("target").build();
        ApiKey other = key("other").build();
        store().create(key);
        store().create(other);
        ApiKey sameHash = key("copy").keyHash(other.getKeyHash()).build();

        List<Throwable> failures = new ArrayList<>();
        failures.add(catchThrowable(() -> store().rotate(key.getId(), new SecretRotation(other.getKeyHash(), "aaaa",
                "bbbb", key.getCreatedAt(), key.getCreatedAt().plusSeconds(60)))));
        failures.add(catchThrowable(() -> store().create(sameHash)));

        for (Throwable failure : failures) {
            assertThat(failure).isInstanceOf(DuplicateApiKeyException.class).hasNoCause();
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            // The random part alone, in case a message strips the hash's punctuation.
            String random = other.getKeyHash().substring("$test$".length());
            assertThat(trace.toString()).doesNotContain(random).containsIgnoringCase("key_hash");
        }
    }

    /** A value the column cannot hold is a failure to store, not a clash with a stored key (answered 409). */
    @Test
    void aValueTooLongForItsColumnIsAStoreFailureNotADuplicate() {
        ApiKey tooLong = key("n".repeat(200)).build();

        assertThat(catchThrowable(() -> store().create(tooLong))).isInstanceOf(ApiKeyStoreException.class);
        assertThat(store().findById(tooLong.getId())).isEmpty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StoreApplication {
    }
}
