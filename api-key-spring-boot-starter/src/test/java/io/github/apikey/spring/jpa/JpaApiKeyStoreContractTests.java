package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.ApiKeyStoreContract;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.github.apikey.core.testing.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class StoreApplication {
    }
}
