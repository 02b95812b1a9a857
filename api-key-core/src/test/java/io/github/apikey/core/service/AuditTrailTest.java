package io.github.apikey.core.service;

import io.github.apikey.core.audit.ApiKeyActor;
import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventAction;
import io.github.apikey.core.audit.ApiKeyEventChain;
import io.github.apikey.core.audit.ApiKeyEventOutcome;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.audit.ChainVerification;
import io.github.apikey.core.store.ApiKeyEventFilter;
import io.github.apikey.core.store.ApiKeyEventStore;
import io.github.apikey.core.store.InMemoryApiKeyEventStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.DelegatingEventStore;
import io.github.apikey.core.testing.MutableClock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every management operation records exactly one event with the right fields, and nothing secret. */
class AuditTrailTest {

    private static final String PEPPER = "audit-trail-test-pepper-0123456789";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
    private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    private final InMemoryApiKeyEventStore events = new InMemoryApiKeyEventStore();
    private final AtomicReference<ApiKeyActor> actor =
            new AtomicReference<>(ApiKeyActor.apiKey("a0a0a0a0a0a0a0a0", "203.0.113.9"));
    private final List<ApiKeyEvent> told = new ArrayList<>();
    private final ApiKeyService service = ApiKeyService.builder(store, new HmacSha256ApiKeyHasher(PEPPER))
            .clock(clock).audit(events).actorResolver(actor::get).eventListener(told::add).build();

    private ApiKeyEvent onlyNewEvent(long before) {
        List<ApiKeyEvent> chain = events.chain(before, 100);
        assertThat(chain).hasSize(1);
        assertThat(told).endsWith(chain.get(0));
        return chain.get(0);
    }

    @Test
    void everyOperationRecordsExactlyOneEventWithItsFields() {
        CreatedApiKey created = service.create(NewApiKey.named("billing").withScopes(List.of("read")));
        ApiKey key = created.apiKey();
        ApiKeyEvent create = onlyNewEvent(0);
        assertThat(create.action()).isEqualTo(ApiKeyEventAction.CREATE);
        assertThat(create.outcome()).isEqualTo(ApiKeyEventOutcome.SUCCESS);
        assertThat(create.apiKeyId()).isEqualTo(key.getId());
        assertThat(create.keyId()).isEqualTo(key.getKeyId());
        assertThat(create.actor()).isEqualTo(ApiKeyActor.apiKey("a0a0a0a0a0a0a0a0", "203.0.113.9"));
        assertThat(create.occurredAt()).isEqualTo(clock.instant());
        assertThat(create.details()).isEqualTo("{\"expiresAt\":null,\"isActive\":true,\"name\":\"billing\","
                + "\"ownerId\":null,\"scopes\":[\"read\"]}");

        actor.set(ApiKeyActor.user("alice", "198.51.100.1"));
        clock.advance(Duration.ofSeconds(1));
        service.update(key.getId(), ApiKeyChanges.builder().name("billing v2").scopes(List.of("read", "write"))
                .clearExpiry().build());
        ApiKeyEvent update = onlyNewEvent(1);
        assertThat(update.action()).isEqualTo(ApiKeyEventAction.UPDATE);
        assertThat(update.actor()).isEqualTo(ApiKeyActor.user("alice", "198.51.100.1"));
        assertThat(update.details()).isEqualTo("{\"changed\":{\"expiresAt\":null,\"name\":\"billing v2\","
                + "\"scopes\":[\"read\",\"write\"]}}");

        service.deactivate(key.getId());
        assertThat(onlyNewEvent(2).action()).isEqualTo(ApiKeyEventAction.DEACTIVATE);
        service.activate(key.getId());
        ApiKeyEvent activate = onlyNewEvent(3);
        assertThat(activate.action()).isEqualTo(ApiKeyEventAction.ACTIVATE);
        assertThat(activate.details()).isEqualTo("{\"changed\":{\"isActive\":true}}");

        CreatedApiKey rotated = service.rotate(key.getId(), Duration.ofHours(1));
        ApiKeyEvent rotate = onlyNewEvent(4);
        assertThat(rotate.action()).isEqualTo(ApiKeyEventAction.ROTATE);
        assertThat(rotate.keyId()).isEqualTo(key.getKeyId());
        assertThat(rotate.details()).isEqualTo("{\"gracePeriod\":\"PT1H\",\"previousSecretExpiresAt\":"
                + "\"2026-11-28T13:00:01.000000Z\"}");

        ApiKeyFormat format = service.getFormat();
        String imported = format.format(format.newKeyId(), format.newSecret());
        ApiKey importedKey = service.importKey("from-env", imported, List.of("read")).orElseThrow();
        ApiKeyEvent importEvent = onlyNewEvent(5);
        assertThat(importEvent.action()).isEqualTo(ApiKeyEventAction.IMPORT);
        assertThat(importEvent.keyId()).isEqualTo(importedKey.getKeyId());
        // Importing it again changes nothing, and records nothing.
        assertThat(service.importKey("from-env", imported, List.of("read"))).isEmpty();
        assertThat(events.head().sequence()).isEqualTo(6);

        service.delete(key.getId());
        ApiKeyEvent delete = onlyNewEvent(6);
        assertThat(delete.action()).isEqualTo(ApiKeyEventAction.DELETE);
        assertThat(delete.apiKeyId()).isEqualTo(key.getId());
        assertThat(delete.keyId()).isEqualTo(key.getKeyId());

        assertThat(service.verifyEvents().valid()).isTrue();
        assertNothingSecret(List.of(created.plaintext(), rotated.plaintext(), imported),
                List.of(rotated.apiKey().getKeyHash(), rotated.apiKey().getPreviousKeyHash(),
                        importedKey.getKeyHash()));
    }

    @Test
    void failedOperationsRecordTheirOutcome() {
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> service.deactivate(unknown)).isInstanceOf(ApiKeyNotFoundException.class);
        ApiKeyEvent notFound = onlyNewEvent(0);
        assertThat(notFound.action()).isEqualTo(ApiKeyEventAction.DEACTIVATE);
        assertThat(notFound.outcome()).isEqualTo(ApiKeyEventOutcome.NOT_FOUND);
        assertThat(notFound.apiKeyId()).isEqualTo(unknown);
        assertThat(notFound.keyId()).isNull();

        assertThatThrownBy(() -> service.delete(unknown)).isInstanceOf(ApiKeyNotFoundException.class);
        assertThat(onlyNewEvent(1).outcome()).isEqualTo(ApiKeyEventOutcome.NOT_FOUND);
        assertThatThrownBy(() -> service.rotate(unknown, null)).isInstanceOf(ApiKeyNotFoundException.class);
        assertThat(onlyNewEvent(2).action()).isEqualTo(ApiKeyEventAction.ROTATE);

        String pasted = "ak_v1-" + "0".repeat(16) + "-" + "s".repeat(64);
        assertThatThrownBy(() -> service.create(NewApiKey.named(pasted + " ".repeat(200))))
                .isInstanceOf(ApiKeyValidationException.class);
        ApiKeyEvent invalid = onlyNewEvent(3);
        assertThat(invalid.outcome()).isEqualTo(ApiKeyEventOutcome.INVALID);
        assertThat(invalid.apiKeyId()).isNull();
        assertThat(invalid.details()).isEqualTo("{\"field\":\"name\"}");

        ApiKey key = service.create(NewApiKey.named("k")).apiKey();
        assertThatThrownBy(() -> service.update(key.getId(), ApiKeyChanges.builder().scopes(List.of("bad scope"))
                .build())).isInstanceOf(ApiKeyValidationException.class);
        ApiKeyEvent invalidUpdate = onlyNewEvent(5);
        assertThat(invalidUpdate.outcome()).isEqualTo(ApiKeyEventOutcome.INVALID);
        assertThat(invalidUpdate.apiKeyId()).isEqualTo(key.getId());
        assertThat(invalidUpdate.details()).isEqualTo("{\"field\":\"scopes\"}");

        assertThatThrownBy(() -> service.importKey("x", "not a key", List.of()))
                .isInstanceOf(InvalidKeyException.class);
        assertThat(onlyNewEvent(6).details()).isEqualTo("{\"field\":\"apiKey\"}");

        String clash = service.getFormat().format(key.getKeyId(), service.getFormat().newSecret());
        assertThatThrownBy(() -> service.importKey("x", clash, List.of()))
                .isInstanceOf(DuplicateApiKeyException.class);
        ApiKeyEvent conflict = onlyNewEvent(7);
        assertThat(conflict.outcome()).isEqualTo(ApiKeyEventOutcome.CONFLICT);
        assertThat(conflict.keyId()).isEqualTo(key.getKeyId());

        assertThat(service.verifyEvents().valid()).isTrue();
        assertNothingSecret(List.of(pasted, clash), List.of());
    }

    @Test
    void bootstrapIsRecordedAsTheSystems() {
        actor.set(ApiKeyActor.user("someone", "198.51.100.1"));
        service.bootstrapCreate(NewApiKey.named("generated-admin").withScopes(List.of("api-keys:admin")));
        ApiKeyEvent generated = onlyNewEvent(0);
        assertThat(generated.action()).isEqualTo(ApiKeyEventAction.BOOTSTRAP);
        assertThat(generated.actor()).isEqualTo(ApiKeyActor.SYSTEM);
        assertThat(generated.details()).contains("\"mode\":\"generated\"");

        ApiKeyFormat format = service.getFormat();
        service.bootstrapImport("bootstrap-admin", format.format(format.newKeyId(), format.newSecret()),
                List.of("api-keys:admin"));
        ApiKeyEvent imported = onlyNewEvent(1);
        assertThat(imported.action()).isEqualTo(ApiKeyEventAction.BOOTSTRAP);
        assertThat(imported.details()).contains("\"mode\":\"imported\"");
    }

    /**
     * A purge on another instance while a check reads the chain page by page deletes the events the check was about
     * to read: what looks like a gap is the new start of the chain, and the check starts again from it.
     */
    @Test
    void aPurgeBetweenTheChecksPagesIsNoBreak() {
        for (int i = 0; i < 520; i++) {
            service.create(NewApiKey.named("old-" + i));
        }
        clock.advance(Duration.ofDays(2));
        for (int i = 0; i < 30; i++) {
            service.create(NewApiKey.named("new-" + i));
        }
        AtomicReference<Boolean> purged = new AtomicReference<>(false);
        ApiKeyEventStore purgingMeanwhile = new DelegatingEventStore(events) {
            @Override
            public List<ApiKeyEvent> chain(long afterSequence, int limit) {
                if (afterSequence > 0 && !purged.getAndSet(true)) {
                    assertThat(service.purgeEvents(Duration.ofDays(1))).isPresent();
                }
                return super.chain(afterSequence, limit);
            }
        };
        ApiKeyService checking = ApiKeyService.builder(store, new HmacSha256ApiKeyHasher(PEPPER)).clock(clock)
                .audit(purgingMeanwhile).build();

        ChainVerification result = checking.verifyEvents();

        assertThat(purged.get()).isTrue();
        assertThat(result.valid()).as(result.toString()).isTrue();
        assertThat(result.firstSequence()).isEqualTo(521);
    }

    @Test
    void aPurgeRecordsItselfAndKeepsTheChainVerifiable() {
        service.create(NewApiKey.named("old"));
        clock.advance(Duration.ofDays(400));
        ApiKey recent = service.create(NewApiKey.named("recent")).apiKey();

        ApiKeyEvent purge = service.purgeEvents(Duration.ofDays(365)).orElseThrow();

        assertThat(purge.action()).isEqualTo(ApiKeyEventAction.PURGE);
        assertThat(purge.actor()).isEqualTo(ApiKeyActor.SYSTEM);
        assertThat(told).endsWith(purge);
        assertThat(service.findEvents(ApiKeyEventFilter.all(0, 10))).extracting(ApiKeyEvent::action)
                .containsExactly(ApiKeyEventAction.PURGE, ApiKeyEventAction.CREATE);
        assertThat(service.findEvents(ApiKeyEventFilter.all(0, 10)).get(1).apiKeyId()).isEqualTo(recent.getId());
        assertThat(service.verifyEvents().valid()).isTrue();
        assertThat(service.purgeEvents(Duration.ofDays(365))).isEmpty();
    }

    @Test
    void aListenerThatFailsDoesNotFailTheOperation() {
        ApiKeyService failing = ApiKeyService.builder(store, new HmacSha256ApiKeyHasher(PEPPER)).audit(events)
                .eventListener(event -> {
                    throw new IllegalStateException("listener down");
                }).build();
        assertThat(failing.create(NewApiKey.named("k")).apiKey()).isNotNull();
        assertThat(events.head().sequence()).isEqualTo(1);
    }

    @Test
    void withoutAnEventStoreNothingIsRecorded() {
        ApiKeyService plain = new ApiKeyService(store, new HmacSha256ApiKeyHasher(PEPPER));
        plain.delete(plain.create(NewApiKey.named("k")).apiKey().getId());
        assertThat(plain.isAuditEnabled()).isFalse();
        assertThatThrownBy(plain::verifyEvents).isInstanceOf(IllegalStateException.class);
    }

    /** No plaintext, secret part, key hash or pepper in any event's fields or canonical form. */
    private void assertNothingSecret(List<String> plaintexts, List<String> hashes) {
        for (ApiKeyEvent event : events.chain(0, 1000)) {
            String text = event + ApiKeyEventChain.canonicalForm(event);
            assertThat(text).doesNotContain(PEPPER);
            for (String plaintext : plaintexts) {
                String secret = plaintext.substring(plaintext.lastIndexOf('-') + 1);
                assertThat(text).doesNotContain(plaintext).doesNotContain(secret.substring(4, secret.length() - 4));
            }
            for (String hash : hashes) {
                if (hash != null) {
                    assertThat(text).doesNotContain(hash);
                }
            }
        }
    }
}
