package io.github.apikey.core.audit;

import io.github.apikey.core.store.InMemoryApiKeyEventStore;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The chain's hash format, and what verification finds in a chain that was tampered with. */
class ApiKeyEventChainTest {

    private static final Instant T0 = Instant.parse("2026-11-28T14:53:12.1234Z");

    @Test
    void theCanonicalFormIsTheDocumentedJsonArray() {
        UUID id = UUID.fromString("6f1c2a4e-0000-4000-8000-000000000001");
        ApiKeyEvent event = ApiKeyEventChain.seal(ApiKeyEventDraft.of(T0, ApiKeyEventAction.UPDATE,
                ApiKeyEventOutcome.SUCCESS, id, "0123456789abcdef", ApiKeyActor.apiKey("fedcba9876543210", "::1"),
                Map.of("changed", Map.of("scopes", List.of("read"), "name", "n\u00e9\n\u0001"))), 7,
                ApiKeyEventChain.GENESIS_HASH);

        assertThat(ApiKeyEventChain.canonicalForm(event)).isEqualTo("[\"api-key-event/1\",7,"
                + "\"2026-11-28T14:53:12.123400Z\",\"update\",\"success\",\"6f1c2a4e-0000-4000-8000-000000000001\","
                + "\"0123456789abcdef\",\"api-key\",\"fedcba9876543210\",\"::1\","
                + "{\"changed\":{\"name\":\"n\u00e9\\n\\u0001\",\"scopes\":[\"read\"]}},\"" + "0".repeat(64) + "\"]");
        // sha256 of the form above, as `printf '%s' "$form" | sha256sum` computes it
        assertThat(event.hash()).isEqualTo(ApiKeyEventChain.sha256(ApiKeyEventChain.canonicalForm(event)))
                .matches("[0-9a-f]{64}");
    }

    private static List<ApiKeyEvent> chainOf(int count) {
        InMemoryApiKeyEventStore store = new InMemoryApiKeyEventStore();
        for (int i = 0; i < count; i++) {
            store.append(ApiKeyEventDraft.of(T0.plusSeconds(i), ApiKeyEventAction.ACTIVATE, ApiKeyEventOutcome.SUCCESS,
                    UUID.randomUUID(), "0123456789abcdef", ApiKeyActor.SYSTEM, Map.of("i", i)));
        }
        return new ArrayList<>(store.chain(0, count));
    }

    private static ChainVerification verify(List<ApiKeyEvent> events, ChainHead head) {
        ApiKeyEventChain.Verifier verifier = new ApiKeyEventChain.Verifier(head);
        for (ApiKeyEvent event : events) {
            if (!verifier.accept(event)) {
                break;
            }
        }
        return verifier.result();
    }

    private static ChainHead headOf(List<ApiKeyEvent> events) {
        ApiKeyEvent last = events.get(events.size() - 1);
        return new ChainHead(last.sequence(), last.hash());
    }

    private static ApiKeyEvent edited(ApiKeyEvent e, String details, boolean rehash) {
        ApiKeyEvent changed = new ApiKeyEvent(e.sequence(), e.occurredAt(), e.action(), e.outcome(), e.apiKeyId(),
                e.keyId(), e.actor(), details, e.previousHash(), e.hash());
        return rehash ? ApiKeyEventChain.seal(new ApiKeyEventDraft(e.occurredAt(), e.action(), e.outcome(),
                e.apiKeyId(), e.keyId(), e.actor(), details), e.sequence(), e.previousHash()) : changed;
    }

    @Test
    void anIntactChainVerifies() {
        List<ApiKeyEvent> events = chainOf(5);
        assertThat(verify(events, headOf(events))).isEqualTo(new ChainVerification(true, 5, 1L, 5L, null, null));
    }

    @Test
    void anEditedEventIsTheBrokenLink() {
        List<ApiKeyEvent> events = chainOf(5);
        ChainHead head = headOf(events);
        events.set(2, edited(events.get(2), "{\"i\":99}", false));
        assertThat(verify(events, head).brokenAt()).isEqualTo(3);
        assertThat(verify(events, head).problem()).contains("edited");
    }

    @Test
    void anEditedEventWithARecomputedHashBreaksTheNextLink() {
        List<ApiKeyEvent> events = chainOf(5);
        ChainHead head = headOf(events);
        events.set(2, edited(events.get(2), "{\"i\":99}", true));
        assertThat(verify(events, head).brokenAt()).isEqualTo(4);
    }

    @Test
    void aDeletedEventIsReportedAsMissing() {
        List<ApiKeyEvent> events = chainOf(5);
        ChainHead head = headOf(events);
        events.remove(1);
        ChainVerification result = verify(events, head);
        assertThat(result.valid()).isFalse();
        assertThat(result.brokenAt()).isEqualTo(2);
        assertThat(result.problem()).contains("missing");
    }

    @Test
    void deletingTheOldestEventsOtherThanByAPurgeIsDetected() {
        List<ApiKeyEvent> events = chainOf(5);
        ChainHead head = headOf(events);
        events.subList(0, 2).clear();
        assertThat(verify(events, head).brokenAt()).isEqualTo(3);
        assertThat(verify(events, head).problem()).contains("no purge event");
    }

    @Test
    void deletingTheNewestEventsIsDetectedThroughTheHead() {
        List<ApiKeyEvent> events = chainOf(5);
        ChainHead head = headOf(events);
        events.subList(3, 5).clear();
        ChainVerification result = verify(events, head);
        assertThat(result.brokenAt()).isEqualTo(4);
        assertThat(result.problem()).contains("deleted from the end");
    }

    @Test
    void editingTheNewestEventWithARecomputedHashIsDetectedThroughTheHead() {
        List<ApiKeyEvent> events = chainOf(3);
        ChainHead head = headOf(events);
        events.set(2, edited(events.get(2), "{\"i\":7}", true));
        assertThat(verify(events, head).brokenAt()).isEqualTo(3);
    }

    @Test
    void aPurgeAnchorCannotBeBorrowedForMoreDeletedEvents() {
        InMemoryApiKeyEventStore store = new InMemoryApiKeyEventStore();
        for (int i = 0; i < 6; i++) {
            store.append(ApiKeyEventDraft.of(T0.plusSeconds(i), ApiKeyEventAction.ACTIVATE,
                    ApiKeyEventOutcome.SUCCESS, null, null, ApiKeyActor.SYSTEM, Map.of()));
        }
        store.purge(T0.plusSeconds(2), ApiKeyEventDraft.of(T0.plusSeconds(10), ApiKeyEventAction.PURGE,
                ApiKeyEventOutcome.SUCCESS, null, null, ApiKeyActor.SYSTEM, Map.of()));
        List<ApiKeyEvent> events = new ArrayList<>(store.chain(0, 100));
        assertThat(verify(events, store.head()).valid()).isTrue();
        events.remove(0);
        assertThat(verify(events, store.head()).brokenAt()).isEqualTo(4);
    }

    @Test
    void canonicalJsonSortsMembersAndEscapesLikePython() {
        assertThat(CanonicalJson.write(Map.of("b", 1, "a", List.of(true, "x\"\\/\u001f"), "c",
                java.util.Collections.singletonMap("z", null))))
                .isEqualTo("{\"a\":[true,\"x\\\"\\\\/\\u001f\"],\"b\":1,\"c\":{\"z\":null}}");
    }
}
