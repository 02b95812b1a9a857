package io.github.apikey.spring.properties;

import io.github.apikey.core.testing.PropertyRun;
import io.github.apikey.core.testing.Samples;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyChanges;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
        properties.add("api-key.pepper=scope-properties-pepper");
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

    /** Keys granted scopes from a pool of look-alikes, and the scope sets to filter them by. */
    record FilterSample(List<String> pool, List<List<String>> keys, List<List<String>> queries) {

        static FilterSample generate(SplittableRandom random) {
            List<String> pool = Samples.lookAlikePool(random);
            List<List<String>> keys = new ArrayList<>();
            int keyCount = 1 + random.nextInt(8);
            for (int i = 0; i < keyCount; i++) {
                keys.add(Samples.drawFrom(random, pool, 5));
            }
            List<List<String>> queries = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                List<String> query = new ArrayList<>(Samples.drawFrom(random, pool, 3));
                if (random.nextInt(4) == 0) {
                    query.add(Samples.scope(random));
                }
                queries.add(query);
            }
            return new FilterSample(pool, keys, queries);
        }

        static Stream<FilterSample> shrink(FilterSample sample) {
            List<FilterSample> candidates = new ArrayList<>();
            for (int i = 0; i < sample.keys().size() && sample.keys().size() > 1; i++) {
                List<List<String>> fewer = new ArrayList<>(sample.keys());
                fewer.remove(i);
                candidates.add(new FilterSample(sample.pool(), fewer, sample.queries()));
            }
            for (int i = 0; i < sample.queries().size(); i++) {
                List<List<String>> fewer = new ArrayList<>(sample.queries());
                fewer.remove(i);
                candidates.add(new FilterSample(sample.pool(), sample.keys(), fewer));
            }
            for (int i = 0; i < sample.pool().size() && sample.pool().size() > 1; i++) {
                List<String> smaller = new ArrayList<>(sample.pool());
                smaller.remove(i);
                candidates.add(new FilterSample(smaller, sample.keys(), sample.queries()));
            }
            for (int i = 0; i < sample.keys().size(); i++) {
                for (List<String> smaller : Samples.shrinkScopes(sample.keys().get(i)).toList()) {
                    List<List<String>> keys = new ArrayList<>(sample.keys());
                    keys.set(i, smaller);
                    candidates.add(new FilterSample(sample.pool(), keys, sample.queries()));
                }
            }
            return candidates.stream();
        }
    }

    @Test
    void scopeFiltersFindExactlyTheKeysHoldingTheScopes() {
        PropertyRun.check(name("scope filters find exactly the matching keys"), 100, FilterSample::generate,
                FilterSample::shrink, (sample, tally) -> {
                    jdbc.update("DELETE FROM api_keys");
                    List<ApiKey> created = new ArrayList<>();
                    for (int i = 0; i < sample.keys().size(); i++) {
                        created.add(service.create(NewApiKey.named("key-" + i).withScopes(sample.keys().get(i)))
                                .apiKey());
                    }
                    List<ApiKey> stored = service.find(ApiKeyFilter.builder().page(0, 100).build());
                    assertThat(ids(stored)).isEqualTo(ids(created));

                    List<List<String>> queries = new ArrayList<>(sample.queries());
                    sample.pool().forEach(scope -> queries.add(List.of(scope)));
                    for (List<String> query : queries) {
                        for (boolean all : List.of(true, false)) {
                            ApiKeyFilter.Builder builder = ApiKeyFilter.builder().page(0, 100);
                            ApiKeyFilter filter = (all ? builder.scopesContainAll(query)
                                    : builder.scopesContainAny(query)).build();
                            String description = (all ? "scopesContainAll " : "scopesContainAny ") + query;
                            Set<UUID> byReference = ids(stored.stream().filter(filter::matches).toList());
                            Set<UUID> byGrant = new HashSet<>();
                            for (int i = 0; i < created.size(); i++) {
                                if (holds(sample.keys().get(i), query, all)) {
                                    byGrant.add(created.get(i).getId());
                                }
                            }
                            assertThat(byReference).as("ApiKeyFilter.matches for %s", description)
                                    .isEqualTo(byGrant);
                            assertThat(ids(service.find(filter))).as("find %s", description).isEqualTo(byGrant);
                            assertThat(service.count(filter)).as("count %s", description).isEqualTo(byGrant.size());
                            tally.count("queries");
                            tally.add("keys found", byGrant.size());
                        }
                    }
                });
    }

    private static boolean holds(List<String> granted, List<String> query, boolean all) {
        if (query.isEmpty()) {
            return true;
        }
        return all ? granted.containsAll(query) : query.stream().anyMatch(granted::contains);
    }

    private static Set<UUID> ids(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::getId).collect(Collectors.toSet());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class PropertiesApplication {
    }
}
