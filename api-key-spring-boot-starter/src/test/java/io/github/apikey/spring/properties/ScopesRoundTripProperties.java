package io.github.apikey.spring.properties;

import io.github.apikey.core.testing.PropertyRun;
import io.github.apikey.core.testing.Samples;
import io.github.apikey.core.testing.ScopeFilterProperty;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.jpa.JpaApiKeyStore;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.github.apikey.core.testing.Samples.distinct;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scopes round-trip through the JPA store on a real database exactly (grant order kept, duplicates dropped, stored
 * as keyshield's compact JSON array), and scope filters, which the store runs as LIKE over that JSON text, find
 * exactly the keys {@link ApiKeyFilter#matches} accepts. One Spring Boot application with the starter's
 * auto-configuration per database, on a database of its own (see {@link TestDatabase}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ScopesRoundTripProperties {

    private TestDatabase database;
    private ConfigurableApplicationContext context;
    private ApiKeyService service;
    private ApiKeyStore store;
    private JdbcTemplate jdbc;

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
        properties.add("api-key.pepper=scope-properties-pepper-01234567");
        properties.add("api-key.hasher.type=hmac-sha256");
        properties.add("api-key.cache.enabled=false");
        properties.add("spring.jpa.hibernate.ddl-auto=validate");
        properties.add("spring.main.banner-mode=off");
        context = new SpringApplicationBuilder(PropertiesApplication.class)
                .web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new))
                .run();
        service = context.getBean(ApiKeyService.class);
        store = context.getBean(ApiKeyStore.class);
        jdbc = context.getBean(JdbcTemplate.class);
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

    private String name(String what) {
        return what + " (" + kind() + ")";
    }

    @Test
    void theStoreUnderTestIsTheJpaStore() {
        assertThat(store).isInstanceOf(JpaApiKeyStore.class);
    }

    // ---- round trip

    record RoundTrip(List<String> granted, List<String> changed) {

        static RoundTrip generate(SplittableRandom random) {
            return new RoundTrip(Samples.scopes(random), Samples.scopes(random));
        }

        static Stream<RoundTrip> shrink(RoundTrip sample) {
            return Stream.concat(
                    Samples.shrinkScopes(sample.granted()).map(granted -> new RoundTrip(granted, sample.changed())),
                    Samples.shrinkScopes(sample.changed()).map(changed -> new RoundTrip(sample.granted(), changed)));
        }
    }

    @Test
    void scopesRoundTripThroughTheJpaStore() {
        PropertyRun.check(name("scopes round-trip through the JPA store"), 100, RoundTrip::generate,
                RoundTrip::shrink, (sample, tally) -> {
                    List<String> expected = distinct(sample.granted());
                    String keyName = "scoped-" + UUID.randomUUID();

                    CreatedApiKey created = service.create(NewApiKey.named(keyName).withScopes(sample.granted()));
                    UUID id = created.apiKey().getId();
                    assertScopes("create", created.apiKey(), expected);
                    assertThat(storedJson(id)).as("stored JSON").isEqualTo(json(expected));
                    assertScopes("get", service.get(id), expected);
                    assertScopes("store.findByKeyId", store.findByKeyId(created.apiKey().getKeyId()).orElseThrow(),
                            expected);
                    assertScopes("find by name", single(ApiKeyFilter.builder().nameExact(keyName).build()), expected);
                    assertScopes("verify", service.verify(created.plaintext(), sample.granted()), expected);

                    List<String> expectedAfterUpdate = distinct(sample.changed());
                    ApiKey updated = service.update(id, ApiKeyChanges.builder().scopes(sample.changed()).build());
                    assertScopes("update", updated, expectedAfterUpdate);
                    assertThat(storedJson(id)).as("stored JSON after update").isEqualTo(json(expectedAfterUpdate));
                    assertScopes("get after update", service.get(id), expectedAfterUpdate);

                    ApiKeyFormat format = service.getFormat();
                    String imported = format.format(format.newKeyId(), format.newSecret());
                    ApiKey importedKey = service.importKey("imported-" + keyName, imported, sample.granted())
                            .orElseThrow();
                    assertScopes("importKey", importedKey, expected);
                    assertScopes("get after importKey", service.get(importedKey.getId()), expected);

                    tally.add("scopes granted", sample.granted().size());
                    tally.add("duplicates dropped", sample.granted().size() - expected.size());
                });
    }

    private ApiKey single(ApiKeyFilter filter) {
        List<ApiKey> found = service.find(filter);
        assertThat(found).as("found by %s", filter).hasSize(1);
        return found.get(0);
    }

    private String storedJson(UUID id) {
        return jdbc.queryForObject("SELECT scopes FROM api_keys WHERE id = ?", String.class, id.toString());
    }

    /** The compact JSON array keyshield reads; generated scopes need no escaping. */
    private static String json(List<String> scopes) {
        return scopes.stream().map(scope -> "\"" + scope + "\"").collect(Collectors.joining(",", "[", "]"));
    }

    private static void assertScopes(String where, ApiKey key, List<String> expected) {
        assertThat(List.copyOf(key.getScopes())).as("scopes after %s", where).isEqualTo(expected);
        for (String scope : expected) {
            assertThat(key.hasScope(scope)).as("holds %s after %s", scope, where).isTrue();
        }
    }

    // ---- filters

    @Test
    void scopeFiltersFindExactlyTheKeysHoldingTheScopes() {
        PropertyRun.check(name("scope filters find exactly the matching keys"), 100,
                ScopeFilterProperty.FilterSample::generate, ScopeFilterProperty.FilterSample::shrink,
                (sample, tally) -> {
                    jdbc.update("DELETE FROM api_keys");
                    ScopeFilterProperty.check(service, sample, tally);
                });
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PropertiesApplication {
    }
}
