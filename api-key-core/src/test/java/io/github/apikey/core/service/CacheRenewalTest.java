package io.github.apikey.core.service;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.VerificationCapacityExceededException;
import io.github.apikey.core.hash.ConcurrencyLimitedHasher;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.CountingHasher;
import io.github.apikey.core.testing.DelegatingStore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A cached verification past its time-to-live is renewed from the key's row, without hash work, and lookups of
 * uncached keys are bounded together with their hash.
 */
class CacheRenewalTest {

    private static final Duration TTL = Duration.ofMinutes(1);

    private final AtomicLong nanos = new AtomicLong();
    private final InMemoryApiKeyStore sharedStore = new InMemoryApiKeyStore();
    private final CountingHasher hasher = new CountingHasher(new HmacSha256ApiKeyHasher("renewal-test-pepper"));

    /** An instance of its own cache over the shared store, as each application instance has. */
    private ApiKeyService instance(ApiKeyStore store) {
        return ApiKeyService.builder(store, hasher).cache(new CaffeineVerifiedKeyCache(TTL, 100, nanos::get)).build();
    }

    @Test
    void aDueEntryIsRenewedFromTheRowWithoutHashing() {
        CountingStore store = new CountingStore(sharedStore);
        ApiKeyService service = instance(store);
        CreatedApiKey created = service.create(NewApiKey.named("steady"));
        service.verify(created.plaintext());
        int hashesAfterFirstUse = hasher.verifications.get();

        for (int period = 0; period < 5; period++) {
            nanos.addAndGet(TTL.plusSeconds(1).toNanos());
            service.verify(created.plaintext());
            service.verify(created.plaintext());
        }

        assertThat(hasher.verifications.get()).isEqualTo(hashesAfterFirstUse);
        assertThat(store.findsById.get()).as("one row read per renewal").isEqualTo(5);
    }

    @Test
    void aRenewalSeesAChangeMadeByAnotherInstance() {
        ApiKeyService a = instance(sharedStore);
        ApiKeyService b = instance(sharedStore);
        CreatedApiKey created = a.create(NewApiKey.named("shared").withScopes(List.of("read")));
        a.verify(created.plaintext(), List.of("read"));

        b.deactivate(created.apiKey().getId());
        assertThat(a.verify(created.plaintext()).getName()).as("served from A's cache until due").isEqualTo("shared");
        nanos.addAndGet(TTL.toNanos());

        assertThatThrownBy(() -> a.verify(created.plaintext())).isInstanceOf(KeyInactiveException.class);
    }

    @Test
    void aDueEntryOfADeletedKeyIsRefused() {
        ApiKeyService a = instance(sharedStore);
        ApiKeyService b = instance(sharedStore);
        CreatedApiKey created = a.create(NewApiKey.named("deleted elsewhere"));
        a.verify(created.plaintext());

        b.delete(created.apiKey().getId());
        nanos.addAndGet(TTL.toNanos());

        assertThatThrownBy(() -> a.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void aDueEntryWhoseRowHoldsAnotherHashIsCheckedAgainstThatHash() {
        ApiKeyService service = instance(sharedStore);
        CreatedApiKey created = service.create(NewApiKey.named("rehashed"));
        service.verify(created.plaintext());
        ApiKey stored = sharedStore.findById(created.apiKey().getId()).orElseThrow();
        sharedStore.deleteById(stored.getId());
        sharedStore.create(stored.toBuilder().keyHash(hasher.hash("a different secret")).build());
        int hashesBefore = hasher.verifications.get();
        nanos.addAndGet(TTL.toNanos());

        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
        assertThat(hasher.verifications.get()).isEqualTo(hashesBefore + 1);
    }

    @Test
    void lookupsOfUncachedKeysWaitForAHashSlotSoAFloodPutsBoundedWorkOnTheStore() throws Exception {
        CountDownLatch lookupStarted = new CountDownLatch(1);
        CountDownLatch releaseLookup = new CountDownLatch(1);
        AtomicInteger lookups = new AtomicInteger();
        ApiKeyStore slowStore = new DelegatingStore(sharedStore) {
            @Override
            public Optional<ApiKey> findByKeyId(String keyId) {
                lookups.incrementAndGet();
                lookupStarted.countDown();
                try {
                    releaseLookup.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.findByKeyId(keyId);
            }
        };
        try (ConcurrencyLimitedHasher oneSlot = new ConcurrencyLimitedHasher(hasher, 1, Duration.ofMillis(50))) {
            ApiKeyService service = ApiKeyService.builder(slowStore, oneSlot).build();
            String unknown = service.getFormat().format(service.getFormat().newKeyId(),
                    service.getFormat().newSecret());
            CompletableFuture<Void> first = CompletableFuture.runAsync(() ->
                    assertThatThrownBy(() -> service.verify(unknown)).isInstanceOf(InvalidKeyException.class));
            assertThat(lookupStarted.await(10, TimeUnit.SECONDS)).isTrue();

            assertThatThrownBy(() -> service.verify(unknown))
                    .isInstanceOf(VerificationCapacityExceededException.class);
            assertThat(lookups).as("the second lookup never reached the store").hasValue(1);

            releaseLookup.countDown();
            first.get(10, TimeUnit.SECONDS);
            assertThat(oneSlot.inUse()).isZero();
        }
    }

    /** Counts lookups by id, the renewal path's only store work. */
    private static final class CountingStore extends DelegatingStore {

        final AtomicInteger findsById = new AtomicInteger();

        CountingStore(ApiKeyStore delegate) {
            super(delegate);
        }

        @Override
        public Optional<ApiKey> findById(java.util.UUID id) {
            findsById.incrementAndGet();
            return super.findById(id);
        }
    }
}
