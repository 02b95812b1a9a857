package io.github.apikey.core.store;

import io.github.apikey.core.audit.ApiKeyActor;
import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventAction;
import io.github.apikey.core.audit.ApiKeyEventChain;
import io.github.apikey.core.audit.ApiKeyEventDraft;
import io.github.apikey.core.audit.ApiKeyEventOutcome;
import io.github.apikey.core.audit.ChainHead;
import io.github.apikey.core.audit.ChainVerification;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.github.apikey.core.testing.TestKeys.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What every {@link ApiKeyEventStore} must do. Subclasses supply an empty store per test and, where the backend is
 * shared between processes, a second store on the same backend, as a second instance of the application has.
 */
public abstract class ApiKeyEventStoreContract {

    private ApiKeyEventStore store;

    /** An empty store; called before every test. */
    protected abstract ApiKeyEventStore createEmptyStore();

    /** Another store on the backend of the last empty store, as another instance would have; by default the same. */
    protected ApiKeyEventStore secondInstance() {
        return store;
    }

    @BeforeEach
    void setUpEventStore() {
        store = createEmptyStore();
    }

    protected ApiKeyEventStore eventStore() {
        return store;
    }

    protected static ApiKeyEventDraft draft(Instant at, ApiKeyEventAction action, UUID apiKeyId, String actor,
                                            Map<String, ?> details) {
        return ApiKeyEventDraft.of(at, action, ApiKeyEventOutcome.SUCCESS, apiKeyId,
                apiKeyId == null ? null : "0123456789abcdef", ApiKeyActor.apiKey(actor, "203.0.113.7"), details);
    }

    protected static ChainVerification verify(ApiKeyEventStore events) {
        ApiKeyEventChain.Verifier verifier = new ApiKeyEventChain.Verifier(events.head());
        long after = 0;
        List<ApiKeyEvent> page;
        do {
            page = events.chain(after, 7);
            for (ApiKeyEvent event : page) {
                if (!verifier.accept(event)) {
                    return verifier.result();
                }
                after = event.sequence();
            }
        } while (page.size() == 7);
        return verifier.result();
    }

    @Test
    void anEmptyStoreIsAtTheStartOfTheChain() {
        assertThat(store.head()).isEqualTo(ChainHead.GENESIS);
        assertThat(store.chain(0, 10)).isEmpty();
        assertThat(verify(store).valid()).isTrue();
    }

    @Test
    void appendsFormOneChainAndKeepEveryFieldExactly() {
        UUID id = UUID.randomUUID();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", "Zoë \"quoted\"\nnext line \\ tab\t");
        details.put("scopes", List.of("read", "write"));
        details.put("remaining", 5L);
        details.put("description", null);
        ApiKeyEvent first = store.append(draft(T0, ApiKeyEventAction.CREATE, id, "aaaaaaaaaaaaaaaa", details));
        ApiKeyEvent second = store.append(ApiKeyEventDraft.of(T0.plusMillis(1), ApiKeyEventAction.DELETE,
                ApiKeyEventOutcome.NOT_FOUND, id, null, ApiKeyActor.user("alice@example.com", null), Map.of()));
        ApiKeyEvent third = store.append(ApiKeyEventDraft.of(T0.plusMillis(2), ApiKeyEventAction.BOOTSTRAP,
                ApiKeyEventOutcome.SUCCESS, null, null, ApiKeyActor.SYSTEM, Map.of("mode", "generated")));

        assertThat(first.sequence()).isEqualTo(1);
        assertThat(first.previousHash()).isEqualTo(ApiKeyEventChain.GENESIS_HASH);
        assertThat(second.previousHash()).isEqualTo(first.hash());
        assertThat(third.previousHash()).isEqualTo(second.hash());
        assertThat(store.head()).isEqualTo(new ChainHead(3, third.hash()));
        assertThat(store.chain(0, 10)).containsExactly(first, second, third);
        assertThat(store.chain(1, 1)).containsExactly(second);
        for (ApiKeyEvent event : store.chain(0, 10)) {
            assertThat(ApiKeyEventChain.expectedHash(event)).isEqualTo(event.hash());
        }
        assertThat(verify(store)).isEqualTo(new ChainVerification(true, 3, 1L, 3L, null, null));
    }

    @Test
    void findsByKeyActionActorAndTimeNewestFirstInPages() {
        UUID a = UUID.randomUUID();
        UUID b = UUID.randomUUID();
        List<ApiKeyEvent> all = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            all.add(store.append(draft(T0.plusSeconds(i), i % 2 == 0 ? ApiKeyEventAction.UPDATE
                    : ApiKeyEventAction.ROTATE, i < 4 ? a : b, i < 3 ? "actor-one" : "actor-two", Map.of())));
        }
        List<ApiKeyEvent> newestFirst = new ArrayList<>(all);
        java.util.Collections.reverse(newestFirst);
        assertThat(store.find(ApiKeyEventFilter.all(0, 100))).containsExactlyElementsOf(newestFirst);
        assertThat(store.find(ApiKeyEventFilter.all(1, 2))).containsExactly(all.get(4), all.get(3));
        ApiKeyEventFilter byKey = new ApiKeyEventFilter(a, null, null, null, null, 0, 100);
        assertThat(store.find(byKey)).containsExactly(all.get(3), all.get(2), all.get(1), all.get(0));
        assertThat(store.count(byKey)).isEqualTo(4);
        ApiKeyEventFilter combined = new ApiKeyEventFilter(a, ApiKeyEventAction.UPDATE, "actor-one",
                T0.plusSeconds(1), T0.plusSeconds(5), 0, 100);
        assertThat(store.find(combined)).containsExactly(all.get(2));
        assertThat(store.count(combined)).isEqualTo(1);
        assertThat(store.count(new ApiKeyEventFilter(null, null, "actor-two", null, T0.plusSeconds(4), 0, 1)))
                .isEqualTo(1);
    }

    @Test
    void aPurgeDeletesTheOldestEventsAndLeavesAnAnchoredChain() {
        List<ApiKeyEvent> all = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            all.add(store.append(draft(T0.plus(Duration.ofDays(i)), ApiKeyEventAction.UPDATE, UUID.randomUUID(), "a",
                    Map.of())));
        }
        ApiKeyEventDraft purge = ApiKeyEventDraft.of(T0.plus(Duration.ofDays(10)), ApiKeyEventAction.PURGE,
                ApiKeyEventOutcome.SUCCESS, null, null, ApiKeyActor.SYSTEM, Map.of());
        Instant cutoff = T0.plus(Duration.ofDays(3));

        ApiKeyEvent recorded = store.withChainLock(() -> store.purge(cutoff, purge)).orElseThrow();

        assertThat(recorded.sequence()).isEqualTo(6);
        assertThat(recorded.details()).contains("\"purgedThroughSequence\":3")
                .contains("\"purgedThroughHash\":\"" + all.get(2).hash() + "\"").contains("\"deleted\":3");
        assertThat(store.chain(0, 10)).extracting(ApiKeyEvent::sequence).containsExactly(4L, 5L, 6L);
        assertThat(verify(store)).isEqualTo(new ChainVerification(true, 3, 4L, 6L, null, null));
        // A second instance purging with the same cut-off finds nothing older, and records nothing.
        assertThat(secondInstance().withChainLock(() -> secondInstance().purge(cutoff, purge))).isEmpty();
        assertThat(store.head().sequence()).isEqualTo(6);
    }

    @Test
    void aPurgeOfEveryEventLeavesThePurgeEventAnchoringItself() {
        store.append(draft(T0, ApiKeyEventAction.CREATE, UUID.randomUUID(), "a", Map.of()));
        ApiKeyEventDraft purge = ApiKeyEventDraft.of(T0.plusSeconds(60), ApiKeyEventAction.PURGE,
                ApiKeyEventOutcome.SUCCESS, null, null, ApiKeyActor.SYSTEM, Map.of());

        store.purge(T0.plusSeconds(30), purge).orElseThrow();

        assertThat(store.chain(0, 10)).extracting(ApiKeyEvent::sequence).containsExactly(2L);
        assertThat(verify(store).valid()).isTrue();
    }

    /**
     * Two instances (two stores on one backend) append from several threads at once: the events form one chain, every
     * sequence once, each linked to the one before.
     */
    @Test
    void concurrentAppendsOfTwoInstancesFormOneLinearChain() throws Exception {
        ApiKeyEventStore other = secondInstance();
        int threads = 4;
        int perThread = 15;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                ApiKeyEventStore target = t % 2 == 0 ? store : other;
                String actor = "thread-" + t;
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Map<String, Object> details = Map.of("i", i);
                        target.withChainLock(() -> target.append(draft(Instant.now(), ApiKeyEventAction.UPDATE,
                                UUID.randomUUID(), actor, details)));
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : work) {
                future.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        int total = threads * perThread;
        assertThat(store.chain(0, total + 10)).extracting(ApiKeyEvent::sequence)
                .containsExactlyElementsOf(java.util.stream.LongStream.rangeClosed(1, total).boxed().toList());
        assertThat(verify(store)).isEqualTo(new ChainVerification(true, total, 1L, (long) total, null, null));
        assertThat(verify(other).valid()).isTrue();
    }
}
