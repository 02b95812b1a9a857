package io.github.apikey.core.testing;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property that scope filters find exactly the keys holding the scopes, for any store behind a service: the
 * in-memory store here, the JPA store on every database in the starter.
 */
public final class ScopeFilterProperty {

    private ScopeFilterProperty() {
    }

    /** Keys granted scopes from a pool of look-alikes, and the scope sets to filter them by. */
    public record FilterSample(List<String> pool, List<List<String>> keys, List<List<String>> queries) {

        public static FilterSample generate(SplittableRandom random) {
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

        public static Stream<FilterSample> shrink(FilterSample sample) {
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

    /**
     * Creates the sample's keys, then checks every pool scope and every query, as all-of and as any-of: the keys
     * found (and counted) are exactly those holding the scopes, by the filter's reference semantics and by the
     * scopes each key was granted.
     */
    public static void check(ApiKeyService service, FilterSample sample, PropertyRun.Tally tally) {
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

    public static Set<UUID> ids(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::getId).collect(Collectors.toSet());
    }
}
