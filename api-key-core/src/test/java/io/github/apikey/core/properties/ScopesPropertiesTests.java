package io.github.apikey.core.properties;

import io.github.apikey.core.testing.PropertyRun;
import io.github.apikey.core.testing.Samples;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.service.ApiKeyChanges;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.github.apikey.core.testing.Samples.distinct;
import static io.github.apikey.core.testing.Samples.quote;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Scopes matching {@code ^[a-z][a-z0-9:_-]*$} round-trip through {@link ApiKeyService} and the
 * {@link InMemoryApiKeyStore} exactly: grant order kept, duplicates dropped. Anything else is refused. Scope filters
 * find exactly the keys {@link ApiKeyFilter#matches} accepts.
 */
class ScopesPropertiesTests {

    private static final HmacSha256ApiKeyHasher HASHER = new HmacSha256ApiKeyHasher("property-test-pepper");

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
    void scopesRoundTripThroughTheServiceAndTheInMemoryStore() {
        PropertyRun.check("scopes round-trip (service, in-memory store)", 1000, RoundTrip::generate,
                RoundTrip::shrink, (sample, tally) -> {
                    ApiKeyStore store = new InMemoryApiKeyStore();
                    ApiKeyService service = new ApiKeyService(store, HASHER);
                    List<String> expected = distinct(sample.granted());

                    CreatedApiKey created = service.create(NewApiKey.named("scoped").withScopes(sample.granted()));
                    UUID id = created.apiKey().getId();
                    assertScopes("create", created.apiKey(), expected);
                    assertScopes("service.get", service.get(id), expected);
                    assertScopes("store.findById", store.findById(id).orElseThrow(), expected);
                    assertScopes("store.findByKeyId", store.findByKeyId(created.apiKey().getKeyId()).orElseThrow(),
                            expected);
                    assertScopes("verify", service.verify(created.plaintext(), sample.granted()), expected);
                    assertScopes("list", service.list(0, 10).get(0), expected);
                    assertScopes("find", service.find(ApiKeyFilter.all()).get(0), expected);

                    List<String> expectedAfterUpdate = distinct(sample.changed());
                    ApiKey updated = service.update(id, ApiKeyChanges.builder().scopes(sample.changed()).build());
                    assertScopes("update", updated, expectedAfterUpdate);
                    assertScopes("get after update", service.get(id), expectedAfterUpdate);

                    ApiKeyFormat format = service.getFormat();
                    String imported = format.format(format.newKeyId(), format.newSecret());
                    ApiKey importedKey = service.importKey("imported", imported, sample.granted()).orElseThrow();
                    assertScopes("importKey", importedKey, expected);
                    assertScopes("get after importKey", service.get(importedKey.getId()), expected);

                    tally.add("scopes granted", sample.granted().size());
                    tally.add("duplicates dropped", sample.granted().size() - expected.size());
                });
    }

    static void assertScopes(String where, ApiKey key, List<String> expected) {
        assertThat(List.copyOf(key.getScopes())).as("scopes after %s", where).isEqualTo(expected);
        assertThat(key.getScopes()).as("scopes after %s", where).hasSize(expected.size());
        for (String scope : expected) {
            assertThat(key.hasScope(scope)).as("%s holds %s after %s", key.getName(), scope, where).isTrue();
        }
    }

    record Refusal(List<String> valid, String invalid, int position) {

        static Refusal generate(SplittableRandom random) {
            List<String> valid = Samples.scopes(random);
            return new Refusal(valid, Samples.invalidScope(random), random.nextInt(valid.size() + 1));
        }

        List<String> scopes() {
            List<String> scopes = new ArrayList<>(valid);
            scopes.add(position, invalid);
            return scopes;
        }

        @Override
        public String toString() {
            return "Refusal[scopes=" + scopes().stream().map(Samples::quote).toList() + "]";
        }
    }

    @Test
    void anyScopeOutsideThePatternIsRefusedAndNothingIsStored() {
        PropertyRun.check("scopes outside ^[a-z][a-z0-9:_-]*$ are refused", 500, Refusal::generate, (sample, tally) -> {
            assertThat(sample.invalid()).doesNotMatch("^[a-z][a-z0-9:_-]*$");
            ApiKeyStore store = new InMemoryApiKeyStore();
            ApiKeyService service = new ApiKeyService(store, HASHER);

            assertThatThrownBy(() -> service.create(NewApiKey.named("refused").withScopes(sample.scopes())))
                    .as("create with %s", quote(sample.invalid()))
                    .isInstanceOfSatisfying(ApiKeyValidationException.class,
                            refused -> assertThat(refused.getField()).isEqualTo("scopes"));
            assertThat(store.count(ApiKeyFilter.all())).isZero();

            ApiKey existing = service.create(NewApiKey.named("existing").withScopes(sample.valid())).apiKey();
            assertThatThrownBy(() -> service.update(existing.getId(),
                    ApiKeyChanges.builder().scopes(sample.scopes()).build()))
                    .as("update with %s", quote(sample.invalid()))
                    .isInstanceOf(ApiKeyValidationException.class);
            assertScopes("refused update", service.get(existing.getId()), distinct(sample.valid()));
            tally.count("refused");
        });
    }

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
            for (int i = 0; i < 4; i++) {
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
        PropertyRun.check("scope filters find exactly the matching keys (in-memory store)", 500,
                FilterSample::generate, FilterSample::shrink, (sample, tally) -> {
                    ApiKeyService service = new ApiKeyService(new InMemoryApiKeyStore(), HASHER);
                    checkScopeFilters(service, sample, tally);
                });
    }

    /**
     * Creates the sample's keys, then checks every pool scope and every query, as all-of and as any-of: the keys
     * found (and counted) are exactly those holding the scopes, by the filter's reference semantics and by the
     * scopes each key was granted.
     */
    static void checkScopeFilters(ApiKeyService service, FilterSample sample, PropertyRun.Tally tally) {
        List<ApiKey> created = new ArrayList<>();
        for (int i = 0; i < sample.keys().size(); i++) {
            created.add(service.create(NewApiKey.named("key-" + i).withScopes(sample.keys().get(i))).apiKey());
        }
        List<ApiKey> stored = service.find(ApiKeyFilter.builder().page(0, 100).build());
        assertThat(ids(stored)).isEqualTo(ids(created));

        List<List<String>> queries = new ArrayList<>(sample.queries());
        sample.pool().forEach(scope -> queries.add(List.of(scope)));
        for (List<String> query : queries) {
            for (boolean all : List.of(true, false)) {
                ApiKeyFilter.Builder builder = ApiKeyFilter.builder().page(0, 100);
                ApiKeyFilter filter = (all ? builder.scopesContainAll(query) : builder.scopesContainAny(query)).build();
                Set<UUID> byReference = ids(stored.stream().filter(filter::matches).toList());
                Set<UUID> byGrant = created.stream()
                        .filter(key -> holds(key, query, all, sample.keys().get(created.indexOf(key))))
                        .map(ApiKey::getId).collect(Collectors.toSet());
                String description = (all ? "scopesContainAll " : "scopesContainAny ") + query;
                assertThat(byReference).as("ApiKeyFilter.matches for %s", description).isEqualTo(byGrant);
                assertThat(ids(service.find(filter))).as("find %s", description).isEqualTo(byGrant);
                assertThat(service.count(filter)).as("count %s", description).isEqualTo(byGrant.size());
                tally.count("queries");
                tally.add("keys found", byGrant.size());
            }
        }
    }

    private static boolean holds(ApiKey key, List<String> query, boolean all, List<String> granted) {
        if (query.isEmpty()) {
            return true;
        }
        return all ? granted.containsAll(query) : query.stream().anyMatch(granted::contains);
    }

    static Set<UUID> ids(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::getId).collect(Collectors.toSet());
    }
}
