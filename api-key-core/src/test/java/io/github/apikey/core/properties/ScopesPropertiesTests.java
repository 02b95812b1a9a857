package io.github.apikey.core.properties;

import io.github.apikey.core.testing.PropertyRun;
import io.github.apikey.core.testing.Samples;
import io.github.apikey.core.testing.ScopeFilterProperty;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
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

    @Test
    void scopeFiltersFindExactlyTheKeysHoldingTheScopes() {
        PropertyRun.check("scope filters find exactly the matching keys (in-memory store)", 500,
                ScopeFilterProperty.FilterSample::generate, ScopeFilterProperty.FilterSample::shrink, (sample, tally) -> {
                    ApiKeyService service = new ApiKeyService(new InMemoryApiKeyStore(), HASHER);
                    ScopeFilterProperty.check(service, sample, tally);
                });
    }

}
