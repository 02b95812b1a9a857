package io.github.apikey.core.service;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.CountingHasher;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.core.usage.UsageRecorder;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Verification through the cache: one hash per key, and every change takes effect at once. */
class CachedVerificationTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

    private final MutableClock clock = new MutableClock(NOW);
    private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    private AtomicInteger hashChecks;
    private final Map<UUID, Instant> recordedUses = new ConcurrentHashMap<>();
    private ApiKeyService service;

    @BeforeEach
    void setUp() {
        CountingHasher counting = new CountingHasher(new HmacSha256ApiKeyHasher("cache-test-pepper"));
        hashChecks = counting.verifications;
        UsageRecorder recorder = (id, usedAt) -> recordedUses.merge(id, usedAt, (a, b) -> a.isAfter(b) ? a : b);
        service = ApiKeyService.builder(store, counting).clock(clock)
                .cache(new CaffeineVerifiedKeyCache(Duration.ofMinutes(5), 1000))
                .usageRecorder(recorder).build();
    }

    @Test
    void aKeyIsHashedOnceAndThenServedFromTheCache() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withScopes(List.of("read")));

        for (int i = 0; i < 10; i++) {
            clock.advance(Duration.ofSeconds(1));
            ApiKey verified = service.verify(created.plaintext(), List.of("read"));
            assertThat(verified.getLastUsedAt()).isEqualTo(clock.instant());
        }

        assertThat(hashChecks).hasValue(1);
        assertThat(recordedUses).containsEntry(created.apiKey().getId(), NOW.plusSeconds(10));
    }

    @Test
    void aPresentedKeyThatDiffersOnlyByAnUnencodableCharacterIsNotServedFromTheCache() {
        // UTF-8 encodes a lone surrogate as '?': with '?' as separator, both strings once had the same digest.
        ApiKeyFormat format = new ApiKeyFormat("ak_v1", "?");
        ApiKeyService questionMarks = ApiKeyService.builder(store, new HmacSha256ApiKeyHasher("cache-test-pepper"))
                .format(format).clock(clock).cache(new CaffeineVerifiedKeyCache(Duration.ofMinutes(5), 1000)).build();
        CreatedApiKey created = questionMarks.create(NewApiKey.named("question marks"));
        questionMarks.verify(created.plaintext());

        int secondSeparator = created.plaintext().lastIndexOf('?');
        String loneSurrogate = created.plaintext().substring(0, secondSeparator) + "\ud83d"
                + created.plaintext().substring(secondSeparator + 1);

        assertThat(loneSurrogate).isNotEqualTo(created.plaintext()).hasSameSizeAs(created.plaintext());
        assertThatThrownBy(() -> questionMarks.verify(loneSurrogate)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void aWrongSecretIsNeverServedFromTheCache() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        service.verify(created.plaintext());
        ApiKeyFormat format = new ApiKeyFormat();
        String wrong = format.format(created.apiKey().getKeyId(), format.newSecret());

        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> service.verify(wrong)).isInstanceOf(InvalidKeyException.class);
        }
        assertThat(hashChecks).hasValue(4);
    }

    @Test
    void expiryIsCheckedOnEveryHit() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withExpiresAt(NOW.plusSeconds(30)));
        service.verify(created.plaintext());

        clock.advance(Duration.ofSeconds(30));

        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(KeyExpiredException.class);
        assertThat(hashChecks).hasValue(1);
    }

    @Test
    void scopesAreCheckedOnEveryHit() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withScopes(List.of("read")));
        service.verify(created.plaintext(), List.of("read"));

        assertThatThrownBy(() -> service.verify(created.plaintext(), List.of("write")))
                .isInstanceOf(InsufficientScopesException.class);
        assertThat(hashChecks).hasValue(1);
    }

    @Test
    void deactivationTakesEffectAtOnce() {
        assertChangeTakesEffect(id -> service.deactivate(id), KeyInactiveException.class);
    }

    @Test
    void deletionTakesEffectAtOnce() {
        assertChangeTakesEffect(id -> service.delete(id), InvalidKeyException.class);
    }

    @Test
    void scopeChangeTakesEffectAtOnce() {
        CreatedApiKey created = service.create(NewApiKey.named("k").withScopes(List.of("read", "write")));
        service.verify(created.plaintext(), List.of("write"));

        service.update(created.apiKey().getId(), ApiKeyChanges.builder().scopes(List.of("read")).build());

        assertThatThrownBy(() -> service.verify(created.plaintext(), List.of("write")))
                .isInstanceOf(InsufficientScopesException.class);
    }

    @Test
    void expiryChangeAndReactivationTakeEffectAtOnce() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        UUID id = created.apiKey().getId();
        service.verify(created.plaintext());

        service.update(id, ApiKeyChanges.builder().expiresAt(NOW.plusSeconds(10)).build());
        clock.advance(Duration.ofSeconds(10));
        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(KeyExpiredException.class);

        service.update(id, ApiKeyChanges.builder().clearExpiry().build());
        service.deactivate(id);
        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(KeyInactiveException.class);
        service.activate(id);
        assertThat(service.verify(created.plaintext()).getId()).isEqualTo(id);
    }

    private void assertChangeTakesEffect(Consumer<UUID> change, Class<? extends Exception> expected) {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        service.verify(created.plaintext());
        service.verify(created.plaintext());

        change.accept(created.apiKey().getId());

        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(expected);
    }
}
