package io.github.apikey.core.store;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.testing.TestKeys;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static io.github.apikey.core.testing.TestKeys.T0;
import static io.github.apikey.core.testing.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What every {@link ApiKeyStore} must do. Subclasses supply an empty store per test.
 */
public abstract class ApiKeyStoreContract {

    private ApiKeyStore store;

    /** An empty store; called before every test. */
    protected abstract ApiKeyStore createEmptyStore();

    @BeforeEach
    void setUpStore() {
        store = createEmptyStore();
    }

    protected ApiKeyStore store() {
        return store;
    }

    @Test
    void storesEveryFieldAndFindsItByIdAndKeyId() {
        ApiKey key = key("Billing export").description("Nightly job").active(false)
                .scopes(List.of("write", "read", "keys:admin"))
                .expiresAt(T0.plus(Duration.ofDays(30))).lastUsedAt(T0.plusSeconds(5)).build();

        store.create(key);

        for (ApiKey found : List.of(store.findById(key.getId()).orElseThrow(),
                store.findByKeyId(key.getKeyId()).orElseThrow())) {
            assertSameFields(found, key);
        }
    }

    @Test
    void storesAKeyWithoutOptionalFields() {
        ApiKey key = key("bare").build();

        store.create(key);

        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertSameFields(found, key);
        assertThat(found.getDescription()).isNull();
        assertThat(found.getScopes()).isEmpty();
        assertThat(found.getExpiresAt()).isNull();
        assertThat(found.getLastUsedAt()).isNull();
    }

    @Test
    void findsNothingForUnknownIdOrKeyId() {
        store.create(key("other").build());

        assertThat(store.findById(UUID.randomUUID())).isEmpty();
        assertThat(store.findByKeyId("0123456789abcdef")).isEmpty();
    }

    @Test
    void refusesADuplicateIdKeyIdOrHash() {
        ApiKey original = key("original").build();
        store.create(original);

        assertThatThrownBy(() -> store.create(key("same id").id(original.getId()).build()))
                .isInstanceOf(DuplicateApiKeyException.class);
        assertThatThrownBy(() -> store.create(key("same key id").keyId(original.getKeyId()).build()))
                .isInstanceOf(DuplicateApiKeyException.class);
        assertThatThrownBy(() -> store.create(key("same hash").keyHash(original.getKeyHash()).build()))
                .isInstanceOf(DuplicateApiKeyException.class);
        assertThat(store.count(ApiKeyFilter.all())).isEqualTo(1);
    }

    @Test
    void handsOutCopiesThatDoNotChangeWhatIsStored() {
        ApiKey key = key("original").build();
        ApiKey created = store.create(key);
        created.setName("changed after create");
        key.setName("changed input");

        ApiKey found = store.findById(key.getId()).orElseThrow();
        found.disable();

        ApiKey again = store.findById(key.getId()).orElseThrow();
        assertThat(again.getName()).isEqualTo("original");
        assertThat(again.isActive()).isTrue();
    }

    @Test
    void updateWritesTheAdministratorFieldsButNotTheLastUsedTime() {
        ApiKey key = key("before").description("old").scopes(List.of("read")).build();
        store.create(key);
        store.recordUse(key.getId(), T0.plusSeconds(60));

        ApiKey updated = store.update(key.getId(), ApiKeyChanges.builder().name("after").description(null)
                .scopes(List.of("write", "admin")).expiresAt(T0.plus(Duration.ofDays(1))).active(false).build())
                .orElseThrow();

        ApiKey found = store.findById(key.getId()).orElseThrow();
        for (ApiKey view : List.of(updated, found)) {
            assertThat(view.getName()).isEqualTo("after");
            assertThat(view.getDescription()).isNull();
            assertThat(view.getScopes()).containsExactly("write", "admin");
            assertThat(view.getExpiresAt()).isEqualTo(T0.plus(Duration.ofDays(1)));
            assertThat(view.isActive()).isFalse();
            assertThat(view.getLastUsedAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(view.getKeyHash()).isEqualTo(key.getKeyHash());
            assertThat(view.getCreatedAt()).isEqualTo(key.getCreatedAt());
        }
    }

    @Test
    void updateOfAnUnknownKeyStoresNothing() {
        assertThat(store.update(UUID.randomUUID(), ApiKeyChanges.builder().name("ghost").build())).isEmpty();
        assertThat(store.count(ApiKeyFilter.all())).isZero();
    }

    @Test
    void updateWritesOnlyTheFieldsItSetsSoThatChangesToOtherFieldsSurvive() {
        ApiKey key = key("original").description("kept").scopes(List.of("read")).build();
        store.create(key);

        store.update(key.getId(), ApiKeyChanges.builder().active(false).build());
        ApiKey renamed = store.update(key.getId(), ApiKeyChanges.builder().name("renamed").build()).orElseThrow();
        store.update(key.getId(), ApiKeyChanges.builder().scopes(List.of("read", "write")).build());

        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertThat(renamed.isActive()).isFalse();
        assertThat(found.getName()).isEqualTo("renamed");
        assertThat(found.isActive()).isFalse();
        assertThat(found.getDescription()).isEqualTo("kept");
        assertThat(found.getScopes()).containsExactly("read", "write");
    }

    @Test
    void concurrentChangesToDifferentFieldsAllSurvive() throws Exception {
        ApiKey key = key("contended").scopes(List.of("read")).build();
        store.create(key);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CountDownLatch start = new CountDownLatch(1);
        try {
            Future<?> scopes = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    store.update(key.getId(), ApiKeyChanges.builder().scopes(List.of("read", "write" + i)).build());
                }
                return null;
            });
            Future<?> disable = pool.submit(() -> {
                start.await();
                for (int i = 0; i < 50; i++) {
                    store.update(key.getId(), ApiKeyChanges.builder().active(i % 2 == 1).build());
                }
                return null;
            });
            start.countDown();
            scopes.get(60, TimeUnit.SECONDS);
            disable.get(60, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }

        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertThat(found.isActive()).isTrue();
        assertThat(found.getScopes()).containsExactly("read", "write49");
    }

    @Test
    void recordUseOnlyMovesTheLastUsedTimeForward() {
        ApiKey key = key("used").build();
        store.create(key);

        store.recordUse(key.getId(), T0.plusSeconds(10));
        store.recordUse(key.getId(), T0.plusSeconds(5));

        assertThat(store.findById(key.getId()).orElseThrow().getLastUsedAt()).isEqualTo(T0.plusSeconds(10));
        store.recordUse(key.getId(), T0.plusSeconds(20));
        assertThat(store.findById(key.getId()).orElseThrow().getLastUsedAt()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void recordUseOfAnUnknownKeyIsIgnored() {
        store.recordUse(UUID.randomUUID(), T0);

        assertThat(store.count(ApiKeyFilter.all())).isZero();
    }

    @Test
    void recordUseAfterADisableKeepsTheKeyDisabled() {
        ApiKey key = key("revoked").build();
        store.create(key);
        ApiKey loadedBeforeDisable = store.findById(key.getId()).orElseThrow();

        store.update(key.getId(), ApiKeyChanges.builder().active(false).build());
        store.recordUse(loadedBeforeDisable.getId(), T0.plusSeconds(1));

        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertThat(found.isActive()).isFalse();
        assertThat(found.getLastUsedAt()).isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void concurrentRecordUsesNeverUndoAConcurrentDisable() throws Exception {
        ApiKey key = key("hot").build();
        store.create(key);
        int users = 4;
        int usesEach = 50;
        ExecutorService pool = Executors.newFixedThreadPool(users + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int user = 0; user < users; user++) {
                int offset = user;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int use = 0; use < usesEach; use++) {
                        store.recordUse(key.getId(), T0.plusMillis(use * users + offset));
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                start.await();
                store.update(key.getId(), ApiKeyChanges.builder().active(false).build());
                return null;
            }));
            start.countDown();
            for (Future<?> future : work) {
                future.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertThat(found.isActive()).isFalse();
        assertThat(found.getLastUsedAt()).isEqualTo(T0.plusMillis((long) usesEach * users - 1));
    }

    @Test
    void deletesByIdAndFreesTheKeyId() {
        ApiKey key = key("doomed").build();
        ApiKey survivor = key("survivor").build();
        store.create(key);
        store.create(survivor);

        assertThat(store.deleteById(key.getId())).isTrue();
        assertThat(store.deleteById(key.getId())).isFalse();

        assertThat(store.findById(key.getId())).isEmpty();
        assertThat(store.findByKeyId(key.getKeyId())).isEmpty();
        assertThat(store.findById(survivor.getId())).isPresent();
        store.create(key("reborn").keyId(key.getKeyId()).build());
        assertThat(store.findByKeyId(key.getKeyId()).orElseThrow().getName()).isEqualTo("reborn");
    }

    @Test
    void listsNewestFirstInPages() {
        List<ApiKey> keys = createKeys(5, (builder, i) -> builder.createdAt(T0.plusSeconds(i)));

        assertThat(names(store.list(0, 2))).containsExactly("key-4", "key-3");
        assertThat(names(store.list(2, 2))).containsExactly("key-2", "key-1");
        assertThat(names(store.list(4, 2))).containsExactly("key-0");
        assertThat(store.list(5, 2)).isEmpty();
        assertThat(keys).hasSize(5);
    }

    @Test
    void filtersByActiveFlag() {
        createKeys(4, (builder, i) -> builder.active(i % 2 == 0));

        assertThat(names(find(b -> b.active(true)))).containsExactlyInAnyOrder("key-0", "key-2");
        assertThat(names(find(b -> b.active(false)))).containsExactlyInAnyOrder("key-1", "key-3");
        assertThat(count(b -> b.active(true))).isEqualTo(2);
    }

    @Test
    void filtersByExpiryWithExclusiveBoundsAndSkipsKeysWithoutExpiry() {
        createKeys(4, (builder, i) -> builder.expiresAt(i == 3 ? null : T0.plus(Duration.ofDays(i))));

        assertThat(names(find(b -> b.expiresBefore(T0.plus(Duration.ofDays(1)))))).containsExactly("key-0");
        assertThat(names(find(b -> b.expiresAfter(T0.plus(Duration.ofDays(1)))))).containsExactly("key-2");
        assertThat(names(find(b -> b.expiresAfter(T0.minusSeconds(1)).expiresBefore(T0.plus(Duration.ofDays(2))))))
                .containsExactlyInAnyOrder("key-0", "key-1");
        assertThat(count(b -> b.expiresAfter(T0.minusSeconds(1)))).isEqualTo(3);
    }

    @Test
    void filtersByCreationTime() {
        createKeys(3, (builder, i) -> builder.createdAt(T0.plus(Duration.ofHours(i))));

        assertThat(names(find(b -> b.createdBefore(T0.plus(Duration.ofHours(1)))))).containsExactly("key-0");
        assertThat(names(find(b -> b.createdAfter(T0)))).containsExactlyInAnyOrder("key-1", "key-2");
    }

    @Test
    void filtersByLastUseAndNeverUsed() {
        createKeys(3, (builder, i) -> builder.lastUsedAt(i == 0 ? null : T0.plusSeconds(i * 10L)));

        assertThat(names(find(b -> b.lastUsedBefore(T0.plusSeconds(15))))).containsExactly("key-1");
        assertThat(names(find(b -> b.lastUsedAfter(T0.plusSeconds(15))))).containsExactly("key-2");
        assertThat(names(find(b -> b.neverUsed(true)))).containsExactly("key-0");
        assertThat(names(find(b -> b.neverUsed(false)))).containsExactlyInAnyOrder("key-1", "key-2");
        assertThat(count(b -> b.neverUsed(true))).isEqualTo(1);
    }

    @Test
    void filtersByScopes() {
        List<List<String>> scopes = List.of(List.of(), List.of("read"), List.of("read", "write"),
                List.of("write", "keys:admin"));
        createKeys(scopes.size(), (builder, i) -> builder.scopes(scopes.get(i)));

        assertThat(names(find(b -> b.scopesContainAll(List.of("read"))))).containsExactlyInAnyOrder("key-1", "key-2");
        assertThat(names(find(b -> b.scopesContainAll(List.of("read", "write"))))).containsExactly("key-2");
        assertThat(names(find(b -> b.scopesContainAny(List.of("read", "keys:admin")))))
                .containsExactlyInAnyOrder("key-1", "key-2", "key-3");
        assertThat(names(find(b -> b.scopesContainAny(List.of("keys"))))).isEmpty();
        assertThat(names(find(b -> b.scopesContainAll(List.of("write")).scopesContainAny(List.of("read")))))
                .containsExactly("key-2");
        assertThat(count(b -> b.scopesContainAny(List.of()))).isEqualTo(4);
    }

    @Test
    void scopesThatLookAlikeDoNotMatchEachOther() {
        List<List<String>> scopes = List.of(List.of("read"), List.of("reader"), List.of("pre-read"),
                List.of("read:all"));
        createKeys(scopes.size(), (builder, i) -> builder.scopes(scopes.get(i)));

        assertThat(names(find(b -> b.scopesContainAll(List.of("read"))))).containsExactly("key-0");
        assertThat(names(find(b -> b.scopesContainAny(List.of("read:all"))))).containsExactly("key-3");
    }

    @Test
    void filtersByNameIgnoringCaseOrExactly() {
        List<String> names = List.of("Billing Export", "billing-import", "Reports", "100%_done");
        for (String name : names) {
            store.create(key(name).build());
        }

        assertThat(names(find(b -> b.nameContains("BILLING"))))
                .containsExactlyInAnyOrder("Billing Export", "billing-import");
        assertThat(names(find(b -> b.nameExact("Reports")))).containsExactly("Reports");
        assertThat(names(find(b -> b.nameExact("reports")))).isEmpty();
        assertThat(names(find(b -> b.nameContains("%_")))).containsExactly("100%_done");
        assertThat(names(find(b -> b.nameContains("_")))).containsExactly("100%_done");
    }

    @ParameterizedTest
    @EnumSource(ApiKeySortField.class)
    void ordersByEveryFieldInBothDirectionsWithMissingValuesLast(ApiKeySortField field) {
        List<ApiKey> keys = createKeys(6, (builder, i) -> builder
                .name("key-" + (char) ('a' + (i * 5) % 6))
                .createdAt(T0.plusSeconds((i * 7) % 6))
                .expiresAt(i % 3 == 0 ? null : T0.plus(Duration.ofDays(i)))
                .lastUsedAt(i % 2 == 0 ? null : T0.plusSeconds(100 - i))
                .active(i % 2 == 0));

        for (boolean descending : List.of(false, true)) {
            List<ApiKey> expected = keys.stream().sorted(field.comparator(descending)).toList();
            List<ApiKey> found = find(b -> b.orderBy(field, descending));
            assertThat(ids(found)).as("%s %s", field, descending ? "desc" : "asc").containsExactlyElementsOf(ids(expected));
        }
    }

    @Test
    void sortFieldComparatorKeepsMissingValuesLastInBothDirections() {
        ApiKey withoutExpiry = key("none").build();
        ApiKey early = key("early").expiresAt(T0).build();
        ApiKey late = key("late").expiresAt(T0.plusSeconds(1)).build();

        Comparator<ApiKey> ascending = ApiKeySortField.EXPIRES_AT.comparator(false);
        Comparator<ApiKey> descending = ApiKeySortField.EXPIRES_AT.comparator(true);

        assertThat(List.of(withoutExpiry, late, early).stream().sorted(ascending).map(ApiKey::getName))
                .containsExactly("early", "late", "none");
        assertThat(List.of(withoutExpiry, early, late).stream().sorted(descending).map(ApiKey::getName))
                .containsExactly("late", "early", "none");
    }

    @Test
    void pagesFilteredResultsAndCountsIgnoringThePage() {
        createKeys(7, (builder, i) -> builder.createdAt(T0.plusSeconds(i)).active(i != 3));

        UnaryOperator<ApiKeyFilter.Builder> activeOldestFirst = b -> b.active(true)
                .orderBy(ApiKeySortField.CREATED_AT, false);
        assertThat(names(find(b -> activeOldestFirst.apply(b).page(0, 2)))).containsExactly("key-0", "key-1");
        assertThat(names(find(b -> activeOldestFirst.apply(b).page(2, 2)))).containsExactly("key-2", "key-4");
        assertThat(names(find(b -> activeOldestFirst.apply(b).page(4, 10)))).containsExactly("key-5", "key-6");
        assertThat(count(b -> activeOldestFirst.apply(b).page(4, 1))).isEqualTo(6);
    }

    @Test
    void defaultFilterReturnsNewestFirstAndMatchesEverything() {
        createKeys(3, (builder, i) -> builder.createdAt(T0.plusSeconds(i)));

        assertThat(names(store.find(ApiKeyFilter.all()))).containsExactly("key-2", "key-1", "key-0");
        assertThat(store.count(ApiKeyFilter.all())).isEqualTo(3);
    }

    /** Every criterion at once agrees with {@link ApiKeyFilter#matches}, the reference semantics. */
    @Test
    void combinedCriteriaAgreeWithTheReferenceMatcher() {
        List<ApiKey> keys = createKeys(12, (builder, i) -> builder
                .active(i % 3 != 0)
                .scopes(i % 2 == 0 ? List.of("read", "write") : List.of("read"))
                .createdAt(T0.plusSeconds(i))
                .expiresAt(i % 4 == 0 ? null : T0.plus(Duration.ofDays(i)))
                .lastUsedAt(i % 5 == 0 ? null : T0.plusSeconds(1000 + i)));
        ApiKeyFilter filter = ApiKeyFilter.builder().active(true).scopesContainAll(List.of("read"))
                .createdAfter(T0).expiresBefore(T0.plus(Duration.ofDays(12))).neverUsed(false)
                .nameContains("KEY").orderBy(ApiKeySortField.NAME, false).page(1, 3).build();

        List<ApiKey> matching = keys.stream().filter(filter::matches).sorted(filter.comparator()).toList();
        List<ApiKey> page = matching.stream().skip(1).limit(3).toList();
        assertThat(matching).hasSize(4);
        assertThat(store.count(filter)).isEqualTo(matching.size());
        assertThat(ids(store.find(filter))).containsExactlyElementsOf(ids(page));
    }

    protected interface Customizer {
        ApiKey.Builder customize(ApiKey.Builder builder, int index);
    }

    /** Creates {@code count} keys named {@code key-0}, {@code key-1}, ... and returns them. */
    protected List<ApiKey> createKeys(int count, Customizer customizer) {
        List<ApiKey> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ApiKey key = customizer.customize(TestKeys.key("key-" + i), i).build();
            store.create(key);
            keys.add(key);
        }
        return keys;
    }

    private List<ApiKey> find(UnaryOperator<ApiKeyFilter.Builder> criteria) {
        return store.find(criteria.apply(ApiKeyFilter.builder()).build());
    }

    private long count(UnaryOperator<ApiKeyFilter.Builder> criteria) {
        return store.count(criteria.apply(ApiKeyFilter.builder()).build());
    }

    private static List<String> names(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::getName).toList();
    }

    private static List<UUID> ids(List<ApiKey> keys) {
        return keys.stream().map(ApiKey::getId).toList();
    }

    protected static void assertSameFields(ApiKey actual, ApiKey expected) {
        assertThat(actual.getId()).isEqualTo(expected.getId());
        assertThat(actual.getKeyId()).isEqualTo(expected.getKeyId());
        assertThat(actual.getKeyHash()).isEqualTo(expected.getKeyHash());
        assertThat(actual.getSecretFirst()).isEqualTo(expected.getSecretFirst());
        assertThat(actual.getSecretLast()).isEqualTo(expected.getSecretLast());
        assertThat(actual.getName()).isEqualTo(expected.getName());
        assertThat(actual.getDescription()).isEqualTo(expected.getDescription());
        assertThat(actual.isActive()).isEqualTo(expected.isActive());
        assertThat(actual.getScopes()).containsExactlyElementsOf(expected.getScopes());
        assertThat(actual.getCreatedAt()).isEqualTo(expected.getCreatedAt());
        assertThat(actual.getExpiresAt()).isEqualTo(expected.getExpiresAt());
        assertThat(actual.getLastUsedAt()).isEqualTo(expected.getLastUsedAt());
    }
}
