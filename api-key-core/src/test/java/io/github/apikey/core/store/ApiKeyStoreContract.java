package io.github.apikey.core.store;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.testing.TestKeys;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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

    /**
     * A bound on one time with the listing ordered by another field (keys expiring soon, newest first), in every
     * order and both directions, paged: the shape a database may answer by filtering first and sorting the matches
     * rather than by walking the index of the order, with the same result.
     */
    @Test
    void boundsOnOneTimeOrderedByAnyFieldPageLikeTheReference() {
        assertBoundsOnOneTimePageLikeTheReference(store, createKeysWithCorrelatedTimes());
    }

    /**
     * 16 keys whose times follow each other, as in real tables: a key expires 30 days after its creation (or never)
     * and was last used (or never) between the two; names run against creation; every fourth is inactive.
     */
    protected List<ApiKey> createKeysWithCorrelatedTimes() {
        return createKeys(16, (builder, i) -> builder
                .name("key-" + (char) ('p' - i))
                .active(i % 4 != 3)
                .createdAt(T0.plus(Duration.ofDays(i)))
                .expiresAt(i % 5 == 4 ? null : T0.plus(Duration.ofDays(i + 30)))
                .lastUsedAt(i % 3 == 2 ? null : T0.plus(Duration.ofDays(i + 10))));
    }

    /** Checks {@code store} against {@link ApiKeyFilter#matches} and {@link ApiKeyFilter#comparator}. */
    protected static void assertBoundsOnOneTimePageLikeTheReference(ApiKeyStore store, List<ApiKey> keys) {
        List<UnaryOperator<ApiKeyFilter.Builder>> bounds = List.of(
                b -> b.expiresAfter(T0.plus(Duration.ofDays(33))).expiresBefore(T0.plus(Duration.ofDays(41))),
                b -> b.expiresAfter(T0.plus(Duration.ofDays(36))),
                b -> b.createdBefore(T0.plus(Duration.ofDays(7))).active(true),
                b -> b.lastUsedAfter(T0.plus(Duration.ofDays(12))).lastUsedBefore(T0.plus(Duration.ofDays(22))),
                b -> b.expiresBefore(T0.plus(Duration.ofDays(60))).lastUsedAfter(T0.plus(Duration.ofDays(11))),
                b -> b.expiresAfter(T0.plus(Duration.ofDays(90))));
        for (UnaryOperator<ApiKeyFilter.Builder> bound : bounds) {
            for (ApiKeySortField field : ApiKeySortField.values()) {
                for (boolean descending : List.of(false, true)) {
                    for (int offset : List.of(0, 2)) {
                        ApiKeyFilter filter = bound.apply(ApiKeyFilter.builder())
                                .orderBy(field, descending).page(offset, 3).build();
                        List<ApiKey> expected = keys.stream().filter(filter::matches).sorted(filter.comparator())
                                .skip(offset).limit(3).toList();
                        assertThat(ids(store.find(filter))).as(filter.toString())
                                .containsExactlyElementsOf(ids(expected));
                    }
                }
            }
        }
    }

    // ---- lifecycle fields: owner, metadata, restrictions, credits, rotation

    /** Metadata of every JSON type, with text that tempts a naive encoder. */
    protected static Map<String, Object> richMetadata() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("region", "eu-west");
        nested.put("limits", List.of(1, 2.5, "three", true));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("tier", "gold");
        metadata.put("seats", 25);
        metadata.put("ratio", 0.75);
        metadata.put("trial", false);
        metadata.put("note", "quote \" backslash \\ newline \n emoji \uD83D\uDE00 accent é");
        metadata.put("nothing", null);
        metadata.put("account", nested);
        return metadata;
    }

    @Test
    void storesEveryLifecycleField() {
        ApiKey key = key("lifecycle").ownerId("tenant-42").metadata(richMetadata())
                .allowedIps(List.of("203.0.113.0/24", "2001:db8::/32", "198.51.100.7"))
                .allowedOrigins(List.of("https://app.example.com", "http://localhost:8080"))
                .remaining(1_000_000_000_000L).refill(new CreditRefill(500, CreditRefill.Interval.MONTHLY))
                .lastRefillAt(T0.minusSeconds(60)).rotatedAt(T0.plusSeconds(1))
                .rateLimits(List.of(new RateLimit("requests", 100, Duration.ofMinutes(1)),
                        new RateLimit("daily", 10_000, Duration.ofDays(1))))
                .previousKeyHash("$test$previous-" + UUID.randomUUID())
                .previousSecretExpiresAt(T0.plus(Duration.ofHours(24))).build();

        store.create(key);

        for (ApiKey found : List.of(store.findById(key.getId()).orElseThrow(),
                store.findByKeyId(key.getKeyId()).orElseThrow())) {
            assertSameFields(found, key);
        }
        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertThat(found.getMetadata()).isEqualTo(key.getMetadata());
        assertThat(new ArrayList<>(found.getMetadata().keySet())).containsExactlyElementsOf(richMetadata().keySet());
        assertThat(found.getAllowedIps()).containsExactly("203.0.113.0/24", key.getAllowedIps().get(1),
                "198.51.100.7/32");
    }

    @Test
    void aKeyWithoutLifecycleFieldsReadsBackWithoutThem() {
        ApiKey key = key("plain").build();

        store.create(key);

        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertThat(found.getOwnerId()).isNull();
        assertThat(found.getMetadata()).isEmpty();
        assertThat(found.getAllowedIps()).isEmpty();
        assertThat(found.getAllowedOrigins()).isEmpty();
        assertThat(found.getRemaining()).isNull();
        assertThat(found.getRefill()).isNull();
        assertThat(found.getLastRefillAt()).isNull();
        assertThat(found.getRotatedAt()).isNull();
        assertThat(found.getPreviousKeyHash()).isNull();
        assertThat(found.getPreviousSecretExpiresAt()).isNull();
        assertThat(found.hasUsageCredits()).isFalse();
        assertThat(found.getRateLimits()).isEmpty();
    }

    @Test
    void updateSetsAndClearsEveryLifecycleField() {
        ApiKey key = key("changing").scopes(List.of("read")).build();
        store.create(key);

        ApiKey set = store.update(key.getId(), ApiKeyChanges.builder().ownerId("user-7").metadata(richMetadata())
                .allowedIps(List.of("10.0.0.0/8")).allowedOrigins(List.of("https://a.example"))
                .remaining(10L).refill(new CreditRefill(10, CreditRefill.Interval.DAILY)).lastRefillAt(T0)
                .rateLimits(List.of(new RateLimit("burst", 5, Duration.ofSeconds(1)))).build()).orElseThrow();
        ApiKey stored = store.findById(key.getId()).orElseThrow();
        for (ApiKey found : List.of(set, stored)) {
            assertThat(found.getOwnerId()).isEqualTo("user-7");
            assertThat(found.getMetadata()).isEqualTo(richMetadata());
            assertThat(found.getAllowedIps()).containsExactly("10.0.0.0/8");
            assertThat(found.getAllowedOrigins()).containsExactly("https://a.example");
            assertThat(found.getRemaining()).isEqualTo(10L);
            assertThat(found.getRefill()).isEqualTo(new CreditRefill(10, CreditRefill.Interval.DAILY));
            assertThat(found.getLastRefillAt()).isEqualTo(T0);
            assertThat(found.getRateLimits()).containsExactly(new RateLimit("burst", 5, Duration.ofSeconds(1)));
            assertThat(found.getScopes()).containsExactly("read");
        }

        store.update(key.getId(), ApiKeyChanges.builder().ownerId(null).metadata(Map.of()).allowedIps(List.of())
                .allowedOrigins(null).remaining(null).refill(null).lastRefillAt(null).rateLimits(List.of()).build());

        ApiKey cleared = store.findById(key.getId()).orElseThrow();
        assertThat(cleared.getOwnerId()).isNull();
        assertThat(cleared.getMetadata()).isEmpty();
        assertThat(cleared.getAllowedIps()).isEmpty();
        assertThat(cleared.getAllowedOrigins()).isEmpty();
        assertThat(cleared.getRemaining()).isNull();
        assertThat(cleared.getRefill()).isNull();
        assertThat(cleared.getLastRefillAt()).isNull();
        assertThat(cleared.getRateLimits()).isEmpty();
        assertThat(cleared.getScopes()).containsExactly("read");
    }

    @Test
    void rotationReplacesTheSecretKeepsThePreviousHashAndLeavesEverythingElse() {
        ApiKey key = key("rotated").ownerId("o").scopes(List.of("read")).remaining(5L)
                .allowedIps(List.of("10.0.0.0/8")).build();
        store.create(key);
        SecretRotation rotation = new SecretRotation("$test$rotated-" + UUID.randomUUID(), "abcd", "wxyz",
                T0.plusSeconds(10), T0.plusSeconds(10).plus(Duration.ofHours(1)));

        ApiKey rotated = store.rotate(key.getId(), rotation).orElseThrow();

        for (ApiKey found : List.of(rotated, store.findById(key.getId()).orElseThrow(),
                store.findByKeyId(key.getKeyId()).orElseThrow())) {
            assertThat(found.getKeyHash()).isEqualTo(rotation.keyHash());
            assertThat(found.getSecretFirst()).isEqualTo("abcd");
            assertThat(found.getSecretLast()).isEqualTo("wxyz");
            assertThat(found.getRotatedAt()).isEqualTo(rotation.rotatedAt());
            assertThat(found.getPreviousKeyHash()).isEqualTo(key.getKeyHash());
            assertThat(found.getPreviousSecretExpiresAt()).isEqualTo(rotation.previousSecretExpiresAt());
            assertThat(found.getKeyId()).isEqualTo(key.getKeyId());
            assertThat(found.getName()).isEqualTo("rotated");
            assertThat(found.getOwnerId()).isEqualTo("o");
            assertThat(found.getScopes()).containsExactly("read");
            assertThat(found.getRemaining()).isEqualTo(5L);
            assertThat(found.getAllowedIps()).containsExactly("10.0.0.0/8");
        }
    }

    @Test
    void rotationWithoutGraceKeepsNoPreviousHashAndASecondRotationEndsTheFirstGrace() {
        ApiKey key = key("twice").build();
        store.create(key);
        String first = "$test$first-" + UUID.randomUUID();
        String second = "$test$second-" + UUID.randomUUID();
        String third = "$test$third-" + UUID.randomUUID();

        store.rotate(key.getId(), new SecretRotation(first, "aaaa", "bbbb", T0, T0.plusSeconds(3600)));
        ApiKey again = store.rotate(key.getId(), new SecretRotation(second, "cccc", "dddd", T0.plusSeconds(1),
                T0.plusSeconds(7200))).orElseThrow();
        assertThat(again.getPreviousKeyHash()).isEqualTo(first);
        assertThat(again.getPreviousSecretExpiresAt()).isEqualTo(T0.plusSeconds(7200));

        ApiKey immediate = store.rotate(key.getId(), new SecretRotation(third, "eeee", "ffff", T0.plusSeconds(2),
                T0.plusSeconds(2))).orElseThrow();
        ApiKey found = store.findById(key.getId()).orElseThrow();
        for (ApiKey current : List.of(immediate, found)) {
            assertThat(current.getKeyHash()).isEqualTo(third);
            assertThat(current.getPreviousKeyHash()).isNull();
            assertThat(current.getPreviousSecretExpiresAt()).isNull();
        }
    }

    @Test
    void rotationOfAnUnknownKeyStoresNothingAndAClashingHashIsRefused() {
        ApiKey key = key("target").build();
        ApiKey other = key("other").build();
        store.create(key);
        store.create(other);

        assertThat(store.rotate(UUID.randomUUID(), new SecretRotation("$test$x", "aaaa", "bbbb", T0,
                T0.plusSeconds(1)))).isEmpty();
        assertThatThrownBy(() -> store.rotate(key.getId(), new SecretRotation(other.getKeyHash(), "aaaa", "bbbb",
                T0, T0.plusSeconds(1)))).isInstanceOf(DuplicateApiKeyException.class);
        assertSameFields(store.findById(key.getId()).orElseThrow(), key);
    }

    /**
     * Each rotation's answer names the hash it replaced. In any serial order those form a chain: every hash is
     * replaced at most once. A rotation that overwrote a concurrent one would replace a hash a second time, and
     * the plaintext handed out for the overwritten rotation would then match nothing.
     */
    @Test
    void concurrentRotationsFormOneChainAndKeepConcurrentChanges() throws Exception {
        ApiKey key = key("contended rotation").scopes(List.of("read")).build();
        store.create(key);
        int threads = 4;
        int rotationsEach = 15;
        List<ApiKey> results = Collections.synchronizedList(new ArrayList<>());
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < rotationsEach; i++) {
                        Instant at = T0.plusSeconds(thread * 100L + i);
                        results.add(store.rotate(key.getId(), new SecretRotation("$test$r" + thread + "-" + i
                                + "-" + UUID.randomUUID(), "aaaa", "bbbb", at, at.plusSeconds(3600))).orElseThrow());
                    }
                    return null;
                }));
            }
            work.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < 30; i++) {
                    store.update(key.getId(), ApiKeyChanges.builder().scopes(List.of("read", "w" + i)).build());
                }
                return null;
            }));
            start.countDown();
            for (Future<?> future : work) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        Set<String> written = new HashSet<>();
        Set<String> replaced = new HashSet<>();
        for (ApiKey result : results) {
            written.add(result.getKeyHash());
            assertThat(replaced.add(result.getPreviousKeyHash()))
                    .as("hash replaced twice: a rotation was overwritten").isTrue();
        }
        written.add(key.getKeyHash());
        assertThat(written).containsAll(replaced);
        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertThat(replaced).doesNotContain(found.getKeyHash());
        assertThat(found.getScopes()).containsExactly("read", "w29");
    }

    @Test
    void creditsAreConsumedDownToZeroAndNeverBelow() {
        ApiKey key = key("metered").remaining(2L).build();
        store.create(key);

        assertThat(store.consumeCredit(key.getId(), T0)).isEqualTo(CreditConsumption.consumed(1));
        assertThat(store.consumeCredit(key.getId(), T0)).isEqualTo(CreditConsumption.consumed(0));
        assertThat(store.consumeCredit(key.getId(), T0)).isEqualTo(CreditConsumption.EXHAUSTED);
        assertThat(store.consumeCredit(key.getId(), T0)).isEqualTo(CreditConsumption.EXHAUSTED);
        assertThat(store.findById(key.getId()).orElseThrow().getRemaining()).isZero();
    }

    @Test
    void consumingFromAKeyWithoutCreditsOrAnUnknownKeyChangesNothing() {
        ApiKey key = key("unmetered").build();
        store.create(key);

        assertThat(store.consumeCredit(key.getId(), T0)).isEqualTo(CreditConsumption.NOT_COUNTED);
        assertThat(store.consumeCredit(UUID.randomUUID(), T0)).isEqualTo(CreditConsumption.NOT_FOUND);
        assertSameFields(store.findById(key.getId()).orElseThrow(), key);
    }

    @Test
    void aDueRefillRestoresTheAmountOncePerPeriod() {
        Instant day1 = Instant.parse("2026-03-01T10:00:00Z");
        ApiKey key = key("refilled").remaining(0L).refill(new CreditRefill(3, CreditRefill.Interval.DAILY))
                .lastRefillAt(day1).build();
        store.create(key);

        assertThat(store.consumeCredit(key.getId(), day1.plusSeconds(3600))).isEqualTo(CreditConsumption.EXHAUSTED);
        Instant day2 = Instant.parse("2026-03-02T00:00:01Z");
        assertThat(store.consumeCredit(key.getId(), day2)).isEqualTo(CreditConsumption.consumed(2));
        assertThat(store.consumeCredit(key.getId(), day2.plusSeconds(5))).isEqualTo(CreditConsumption.consumed(1));
        ApiKey found = store.findById(key.getId()).orElseThrow();
        assertThat(found.getRemaining()).isEqualTo(1L);
        assertThat(found.getLastRefillAt()).isEqualTo(Instant.parse("2026-03-02T00:00:00Z"));
        Instant month2 = Instant.parse("2026-04-15T00:00:00Z");
        store.update(key.getId(), ApiKeyChanges.builder()
                .refill(new CreditRefill(7, CreditRefill.Interval.MONTHLY)).build());
        assertThat(store.consumeCredit(key.getId(), month2)).isEqualTo(CreditConsumption.consumed(6));
        assertThat(store.findById(key.getId()).orElseThrow().getLastRefillAt())
                .isEqualTo(Instant.parse("2026-04-01T00:00:00Z"));
    }

    /**
     * Every credit is handed out exactly once: each successful consumption reports a different count left, and the
     * number of successes is the number of credits (plus one refill, when it fell due).
     */
    @Test
    void concurrentConsumptionsNeitherLoseNorRepeatACreditAndRefillOnce() throws Exception {
        Instant yesterday = Instant.parse("2026-03-01T12:00:00Z");
        Instant today = Instant.parse("2026-03-02T12:00:00Z");
        ApiKey plain = key("contended credits").remaining(60L).build();
        ApiKey refilled = key("contended refill").remaining(0L).refill(new CreditRefill(40, CreditRefill.Interval.DAILY))
                .lastRefillAt(yesterday).build();
        store.create(plain);
        store.create(refilled);
        Map<UUID, Set<Long>> remainders = new ConcurrentHashMap<>();
        Map<UUID, AtomicInteger> exhausted = new ConcurrentHashMap<>();
        for (ApiKey key : List.of(plain, refilled)) {
            remainders.put(key.getId(), ConcurrentHashMap.newKeySet());
            exhausted.put(key.getId(), new AtomicInteger());
        }
        int threads = 6;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 15; i++) {
                        for (ApiKey key : List.of(plain, refilled)) {
                            CreditConsumption outcome = store.consumeCredit(key.getId(), today);
                            if (outcome.outcome() == CreditConsumption.Outcome.CONSUMED) {
                                assertThat(remainders.get(key.getId()).add(outcome.remaining()))
                                        .as("the same count left was reported twice").isTrue();
                            } else {
                                assertThat(outcome).isEqualTo(CreditConsumption.EXHAUSTED);
                                exhausted.get(key.getId()).incrementAndGet();
                            }
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : work) {
                future.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(remainders.get(plain.getId())).hasSize(60).allMatch(left -> left >= 0 && left < 60);
        assertThat(exhausted.get(plain.getId())).hasValue(90 - 60);
        assertThat(remainders.get(refilled.getId())).hasSize(40).allMatch(left -> left >= 0 && left < 40);
        assertThat(exhausted.get(refilled.getId())).hasValue(90 - 40);
        assertThat(store.findById(plain.getId()).orElseThrow().getRemaining()).isZero();
        assertThat(store.findById(refilled.getId()).orElseThrow().getRemaining()).isZero();
    }

    @Test
    void filtersByOwnerAndTopLevelMetadataLikeTheReferenceMatcher() {
        Map<String, Object> tricky = new LinkedHashMap<>();
        tricky.put("a.b", "dotted");
        tricky.put("quo\"te", "quoted");
        tricky.put("tier", Map.of("tier", "gold"));
        List<ApiKey> keys = createKeys(8, (builder, i) -> builder
                .ownerId(i % 2 == 0 ? "tenant-a" : (i == 7 ? null : "tenant-b"))
                .metadata(switch (i) {
                    case 0 -> Map.of("tier", "gold", "seats", 5);
                    case 1 -> Map.of("tier", "gold", "seats", 5, "trial", true);
                    case 2 -> Map.of("tier", "silver", "seats", 10);
                    case 3 -> tricky;
                    case 4 -> Map.of("tier", List.of("gold"));
                    case 5 -> Map.of("tier", "Gold", "ratio", 0.5);
                    case 6 -> Collections.singletonMap("tier", null);
                    default -> Map.of();
                }));
        List<ApiKeyFilter> filters = List.of(
                ApiKeyFilter.builder().ownerId("tenant-a").build(),
                ApiKeyFilter.builder().ownerId("tenant-b").build(),
                ApiKeyFilter.builder().ownerId("nobody").build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("tier", "gold")).build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("tier", "gold", "seats", "5")).build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("trial", "true")).build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("ratio", "0.5")).build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("a.b", "dotted")).build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("quo\"te", "quoted")).build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("tier", "null")).build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("seats", "5")).ownerId("tenant-b").build(),
                ApiKeyFilter.builder().metadataEquals(Map.of("missing", "x")).build());

        for (ApiKeyFilter filter : filters) {
            List<ApiKey> expected = keys.stream().filter(filter::matches).sorted(filter.comparator()).toList();
            assertThat(ids(store.find(filter))).as(filter.toString()).containsExactlyElementsOf(ids(expected));
            assertThat(store.count(filter)).as(filter.toString()).isEqualTo(expected.size());
        }
        assertThat(keys.stream().filter(filters.get(3)::matches).count()).isEqualTo(2);
        assertThat(keys.stream().filter(filters.get(8)::matches).count()).isEqualTo(1);
    }

    @Test
    void countsKeysByStateInOneCall() {
        Instant now = T0.plus(Duration.ofDays(100));
        Instant expiringBefore = now.plus(Duration.ofDays(7));
        Instant unusedSince = now.minus(Duration.ofDays(90));
        assertThat(store.countStates(now, expiringBefore, unusedSince))
                .isEqualTo(new ApiKeyStateCounts(0, 0, 0, 0, 0, 0, 0));
        // 0: active, no expiry, never used          1: active, expires in 3 days, used yesterday
        // 2: active, expired exactly now, used long ago 3: active, expires in 8 days, never used
        // 4: inactive, expired, used long ago       5: inactive, expires in 2 days, never used
        createKeys(6, (builder, i) -> switch (i) {
            case 0 -> builder;
            case 1 -> builder.expiresAt(now.plus(Duration.ofDays(3))).lastUsedAt(now.minus(Duration.ofDays(1)));
            case 2 -> builder.expiresAt(now).lastUsedAt(unusedSince.minusSeconds(1));
            case 3 -> builder.expiresAt(now.plus(Duration.ofDays(8)));
            case 4 -> builder.active(false).expiresAt(now.minusSeconds(1)).lastUsedAt(T0);
            default -> builder.active(false).expiresAt(now.plus(Duration.ofDays(2)));
        });

        ApiKeyStateCounts counts = store.countStates(now, expiringBefore, unusedSince);

        assertThat(counts).isEqualTo(new ApiKeyStateCounts(6, 3, 2, 1, 1, 3, 2));
        assertThat(counts.active() + counts.inactive() + counts.expired()).isEqualTo(counts.total());
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
        assertThat(actual.getOwnerId()).isEqualTo(expected.getOwnerId());
        assertThat(actual.getMetadata()).isEqualTo(expected.getMetadata());
        assertThat(actual.getAllowedIps()).containsExactlyElementsOf(expected.getAllowedIps());
        assertThat(actual.getAllowedOrigins()).containsExactlyElementsOf(expected.getAllowedOrigins());
        assertThat(actual.getRemaining()).isEqualTo(expected.getRemaining());
        assertThat(actual.getRefill()).isEqualTo(expected.getRefill());
        assertThat(actual.getLastRefillAt()).isEqualTo(expected.getLastRefillAt());
        assertThat(actual.getRotatedAt()).isEqualTo(expected.getRotatedAt());
        assertThat(actual.getPreviousKeyHash()).isEqualTo(expected.getPreviousKeyHash());
        assertThat(actual.getPreviousSecretExpiresAt()).isEqualTo(expected.getPreviousSecretExpiresAt());
        assertThat(actual.getRateLimits()).containsExactlyElementsOf(expected.getRateLimits());
    }
}
