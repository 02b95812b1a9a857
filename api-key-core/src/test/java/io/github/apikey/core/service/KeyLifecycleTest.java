package io.github.apikey.core.service;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.IpRange;
import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.KeyRestrictedException;
import io.github.apikey.core.error.UsageExceededException;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.CreditConsumption;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.CountingHasher;
import io.github.apikey.core.testing.DelegatingStore;
import io.github.apikey.core.testing.MutableClock;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rotation, owners and metadata, restrictions and credits, through the service as applications call it. */
class KeyLifecycleTest {

    private static final Duration TTL = Duration.ofMinutes(1);

    private final MutableClock clock = new MutableClock(Instant.parse("2026-06-15T10:00:00Z"));
    private final AtomicLong nanos = new AtomicLong();
    private final InMemoryApiKeyStore sharedStore = new InMemoryApiKeyStore();
    private final CountingHasher hasher = new CountingHasher(new HmacSha256ApiKeyHasher("lifecycle-test-pepper"));

    /** One application instance: its own cache over the shared store, on the shared clock. */
    private ApiKeyService instance(ApiKeyStore store) {
        return ApiKeyService.builder(store, hasher).clock(clock)
                .cache(new CaffeineVerifiedKeyCache(TTL, 100, nanos::get)).build();
    }

    private final ApiKeyService service = instance(sharedStore);

    private static InetAddress address(String literal) {
        return IpRange.parseAddress(literal);
    }

    @Nested
    class Rotation {

        @Test
        void issuesANewSecretForTheSameKeyAndKeepsEverythingElse() {
            CreatedApiKey created = service.create(NewApiKey.named("rolled").withScopes(List.of("read"))
                    .withOwnerId("tenant-1").withMetadata(Map.of("tier", "gold"))
                    .withAllowedIps(List.of("10.0.0.0/8")).withCredits(100L, null));

            CreatedApiKey rotated = service.rotate(created.apiKey().getId(), Duration.ofHours(24));

            ApiKey key = rotated.apiKey();
            assertThat(rotated.plaintext()).isNotEqualTo(created.plaintext());
            assertThat(service.getFormat().parse(rotated.plaintext()).keyId()).isEqualTo(key.getKeyId())
                    .isEqualTo(created.apiKey().getKeyId());
            assertThat(key.getId()).isEqualTo(created.apiKey().getId());
            assertThat(key.getName()).isEqualTo("rolled");
            assertThat(key.getScopes()).containsExactly("read");
            assertThat(key.getOwnerId()).isEqualTo("tenant-1");
            assertThat(key.getMetadata()).isEqualTo(Map.of("tier", "gold"));
            assertThat(key.getAllowedIps()).containsExactly("10.0.0.0/8");
            assertThat(key.getRemaining()).isEqualTo(100L);
            assertThat(key.getRotatedAt()).isEqualTo(clock.instant());
            assertThat(key.getPreviousSecretExpiresAt()).isEqualTo(clock.instant().plus(Duration.ofHours(24)));
            assertThat(key.getSecretFirst()).isEqualTo(service.getFormat().parse(rotated.plaintext()).secret()
                    .substring(0, 4));
        }

        @Test
        void theOldSecretWorksUntilTheGracePeriodEndsEvenWhenCached() {
            CreatedApiKey created = service.create(NewApiKey.named("graceful"));
            service.verify(created.plaintext());
            CreatedApiKey rotated = service.rotate(created.apiKey().getId(), Duration.ofMinutes(10));

            assertThat(service.verify(created.plaintext()).getId()).isEqualTo(created.apiKey().getId());
            assertThat(service.verify(rotated.plaintext()).getId()).isEqualTo(created.apiKey().getId());
            int hashes = hasher.verifications.get();
            clock.advance(Duration.ofMinutes(9));
            service.verify(created.plaintext());
            assertThat(hasher.verifications.get()).as("served from the cache").isEqualTo(hashes);

            clock.advance(Duration.ofMinutes(1));

            assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class)
                    .hasMessage("API key invalid");
            assertThat(service.verify(rotated.plaintext()).getId()).isEqualTo(created.apiKey().getId());
            nanos.addAndGet(TTL.multipliedBy(20).toNanos());
            assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
        }

        /** The HTTP adapter tells a client still on the old secret when it stops working; it needs to know which. */
        @Test
        void theVerificationSaysWhetherThePreviousSecretWasPresentedCachedOrNot() {
            CreatedApiKey created = service.create(NewApiKey.named("which secret"));
            CreatedApiKey rotated = service.rotate(created.apiKey().getId(), Duration.ofMinutes(10));

            for (int round = 0; round < 2; round++) {
                Verification old = service.authenticate(created.plaintext(), VerificationContext.NONE);
                Verification current = service.authenticate(rotated.plaintext(), VerificationContext.NONE);
                assertThat(old.previousSecret()).as("round %d", round).isTrue();
                assertThat(old.key().getPreviousSecretExpiresAt())
                        .isEqualTo(clock.instant().plus(Duration.ofMinutes(10)));
                assertThat(current.previousSecret()).as("round %d", round).isFalse();
            }
        }

        @Test
        void noGracePeriodRevokesTheOldSecretAtOnce() {
            CreatedApiKey created = service.create(NewApiKey.named("immediate"));
            service.verify(created.plaintext());

            CreatedApiKey rotated = service.rotate(created.apiKey().getId(), Duration.ZERO);

            assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
            assertThat(rotated.apiKey().getPreviousSecretExpiresAt()).isNull();
            assertThat(service.rotate(created.apiKey().getId(), null).apiKey().getPreviousKeyHash()).isNull();
        }

        @Test
        void rotatingAgainEndsThePreviousGracePeriod() {
            CreatedApiKey first = service.create(NewApiKey.named("twice"));
            service.verify(first.plaintext());
            CreatedApiKey second = service.rotate(first.apiKey().getId(), Duration.ofHours(1));
            service.verify(first.plaintext());

            CreatedApiKey third = service.rotate(first.apiKey().getId(), Duration.ofHours(1));

            assertThatThrownBy(() -> service.verify(first.plaintext())).isInstanceOf(InvalidKeyException.class);
            assertThat(service.verify(second.plaintext()).getId()).isEqualTo(first.apiKey().getId());
            assertThat(service.verify(third.plaintext()).getId()).isEqualTo(first.apiKey().getId());
        }

        @Test
        void anotherInstanceRenewingItsCacheSeesTheRotation() {
            ApiKeyService other = instance(sharedStore);
            CreatedApiKey created = service.create(NewApiKey.named("shared"));
            other.verify(created.plaintext());

            CreatedApiKey rotated = service.rotate(created.apiKey().getId(), Duration.ofMinutes(5));
            nanos.addAndGet(TTL.toNanos());

            assertThat(other.verify(created.plaintext()).getRotatedAt()).as("old secret in its grace period")
                    .isEqualTo(rotated.apiKey().getRotatedAt());
            assertThat(other.verify(rotated.plaintext()).getId()).isEqualTo(created.apiKey().getId());
            clock.advance(Duration.ofMinutes(5));
            assertThatThrownBy(() -> other.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
        }

        @Test
        void aRenewedPreviousSecretIsRefusedOnceARotationReplacedIt() {
            ApiKeyService other = instance(sharedStore);
            CreatedApiKey created = service.create(NewApiKey.named("renewed"));
            service.rotate(created.apiKey().getId(), Duration.ofHours(1));
            other.verify(created.plaintext());

            service.rotate(created.apiKey().getId(), Duration.ofHours(1));
            nanos.addAndGet(TTL.toNanos());

            assertThatThrownBy(() -> other.verify(created.plaintext())).isInstanceOf(InvalidKeyException.class);
        }

        @Test
        void refusesAGracePeriodOutsideItsBoundsAndAnUnknownKey() {
            ApiKeyService bounded = ApiKeyService.builder(sharedStore, hasher).clock(clock)
                    .maxGracePeriod(Duration.ofDays(1)).build();
            UUID id = bounded.create(NewApiKey.named("bounded")).apiKey().getId();

            assertThatThrownBy(() -> bounded.rotate(id, Duration.ofSeconds(-1)))
                    .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("gracePeriod");
            assertThatThrownBy(() -> bounded.rotate(id, Duration.ofDays(1).plusSeconds(1)))
                    .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("PT24H");
            assertThatThrownBy(() -> bounded.rotate(UUID.randomUUID(), Duration.ZERO))
                    .isInstanceOf(ApiKeyNotFoundException.class);
            assertThat(bounded.get(id).getRotatedAt()).isNull();
        }

        @Test
        void aWrongSecretDuringTheGracePeriodIsStillInvalid() {
            CreatedApiKey created = service.create(NewApiKey.named("guarded"));
            service.rotate(created.apiKey().getId(), Duration.ofHours(1));
            String wrong = service.getFormat().format(created.apiKey().getKeyId(), service.getFormat().newSecret());

            assertThatThrownBy(() -> service.verify(wrong)).isInstanceOf(InvalidKeyException.class);
        }
    }

    @Nested
    class OwnerAndMetadata {

        @Test
        void areStoredAndFilterable() {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("tier", "gold");
            metadata.put("seats", 3);
            service.create(NewApiKey.named("a").withOwnerId("tenant-1").withMetadata(metadata));
            service.create(NewApiKey.named("b").withOwnerId("tenant-2").withMetadata(Map.of("tier", "free")));

            assertThat(service.find(io.github.apikey.core.store.ApiKeyFilter.builder().ownerId("tenant-1").build()))
                    .extracting(ApiKey::getName).containsExactly("a");
            assertThat(service.count(io.github.apikey.core.store.ApiKeyFilter.builder()
                    .metadataEquals(Map.of("seats", "3")).build())).isEqualTo(1);
        }

        @Test
        void refusesOversizedMetadataAndBadOwners() {
            ApiKeyService small = ApiKeyService.builder(sharedStore, hasher).maxMetadataBytes(32).build();

            assertThatThrownBy(() -> small.create(NewApiKey.named("big")
                    .withMetadata(Map.of("text", "x".repeat(40)))))
                    .isInstanceOf(ApiKeyValidationException.class)
                    .hasMessageContaining("metadata must be at most 32 bytes");
            assertThatThrownBy(() -> small.create(NewApiKey.named("odd").withMetadata(Map.of("when", new Object()))))
                    .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("JSON");
            assertThatThrownBy(() -> small.create(NewApiKey.named("blank").withOwnerId(" ")))
                    .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("ownerId");
            assertThatThrownBy(() -> small.create(NewApiKey.named("long").withOwnerId("o".repeat(129))))
                    .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("ownerId");
            assertThat(sharedStore.count(io.github.apikey.core.store.ApiKeyFilter.all())).isZero();
        }

        @Test
        void updateChangesAndClearsThem() {
            UUID id = service.create(NewApiKey.named("owned").withOwnerId("u1")
                    .withMetadata(Map.of("a", 1))).apiKey().getId();

            ApiKey changed = service.update(id, ApiKeyChanges.builder().ownerId("u2")
                    .metadata(Map.of("b", List.of(1, 2))).build());
            assertThat(changed.getOwnerId()).isEqualTo("u2");
            assertThat(changed.getMetadata()).isEqualTo(Map.of("b", List.of(1, 2)));

            ApiKey cleared = service.update(id, ApiKeyChanges.builder().ownerId(null).metadata(null).build());
            assertThat(cleared.getOwnerId()).isNull();
            assertThat(cleared.getMetadata()).isEmpty();
        }
    }

    @Nested
    class Restrictions {

        @Test
        void anAddressOutsideTheAllowedRangesIsRefusedAfterTheSecretMatched() {
            CreatedApiKey created = service.create(NewApiKey.named("office")
                    .withAllowedIps(List.of("203.0.113.0/24", "2001:db8::/32")));
            VerificationContext none = VerificationContext.NONE;

            assertThat(service.verify(created.plaintext(), none.withClientAddress(address("203.0.113.77"))))
                    .isNotNull();
            assertThat(service.verify(created.plaintext(), none.withClientAddress(address("2001:db8::1"))))
                    .isNotNull();
            assertThat(service.verify(created.plaintext(), none.withClientAddress(address("::ffff:203.0.113.5"))))
                    .isNotNull();
            assertThatThrownBy(() -> service.verify(created.plaintext(),
                    none.withClientAddress(address("198.51.100.1"))))
                    .isInstanceOf(KeyRestrictedException.class)
                    .hasMessage("API key not allowed from this IP address")
                    .extracting(e -> ((KeyRestrictedException) e).getCode())
                    .isEqualTo(ApiKeyErrorCode.ADDRESS_NOT_ALLOWED);
            assertThatThrownBy(() -> service.verify(created.plaintext()))
                    .as("unknown address").isInstanceOf(KeyRestrictedException.class);
            String wrong = service.getFormat().format(created.apiKey().getKeyId(), service.getFormat().newSecret());
            assertThatThrownBy(() -> service.verify(wrong, none.withClientAddress(address("198.51.100.1"))))
                    .as("a wrong secret learns nothing about restrictions").isInstanceOf(InvalidKeyException.class);
        }

        @Test
        void anOriginNotAllowedOrMissingIsRefused() {
            CreatedApiKey created = service.create(NewApiKey.named("browser")
                    .withAllowedOrigins(List.of("https://App.Example.com:443")));
            VerificationContext none = VerificationContext.NONE;

            assertThat(created.apiKey().getAllowedOrigins()).containsExactly("https://app.example.com");
            assertThat(service.verify(created.plaintext(), none.withOrigin("https://app.example.com"))).isNotNull();
            for (String origin : new String[] {"https://evil.example.com", "http://app.example.com",
                    "https://app.example.com:8443", "null", null, "https://app.example.com/path"}) {
                assertThatThrownBy(() -> service.verify(created.plaintext(), none.withOrigin(origin)))
                        .as(String.valueOf(origin)).isInstanceOf(KeyRestrictedException.class)
                        .hasMessage("API key not allowed from this origin");
            }
        }

        @Test
        void aDisabledKeyIsReportedAsDisabledWhereverItIsUsedFrom() {
            CreatedApiKey created = service.create(NewApiKey.named("off").withAllowedIps(List.of("10.0.0.1")));
            service.deactivate(created.apiKey().getId());

            assertThatThrownBy(() -> service.verify(created.plaintext(),
                    VerificationContext.NONE.withClientAddress(address("192.0.2.1"))))
                    .isInstanceOf(KeyInactiveException.class);
        }

        @Test
        void refusesMalformedRestrictionsNamingTheField() {
            assertThatThrownBy(() -> service.create(NewApiKey.named("x").withAllowedIps(List.of("example.com"))))
                    .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("allowedIps")
                    .extracting(e -> ((ApiKeyValidationException) e).getField()).isEqualTo("allowedIps");
            assertThatThrownBy(() -> service.create(NewApiKey.named("x").withAllowedIps(List.of("10.0.0.0/33"))))
                    .isInstanceOf(ApiKeyValidationException.class);
            assertThatThrownBy(() -> service.create(NewApiKey.named("x").withAllowedIps(List.of("300.1.1.1"))))
                    .isInstanceOf(ApiKeyValidationException.class);
            assertThatThrownBy(() -> service.create(NewApiKey.named("x")
                    .withAllowedOrigins(List.of("ftp://files.example.com"))))
                    .isInstanceOf(ApiKeyValidationException.class)
                    .extracting(e -> ((ApiKeyValidationException) e).getField()).isEqualTo("allowedOrigins");
            assertThatThrownBy(() -> service.create(NewApiKey.named("x")
                    .withAllowedOrigins(List.of("https://a.example/path"))))
                    .isInstanceOf(ApiKeyValidationException.class);
        }
    }

    @Nested
    class Credits {

        @Test
        void eachPassingVerificationConsumesOneCreditUntilNoneAreLeft() {
            CreatedApiKey created = service.create(NewApiKey.named("metered").withScopes(List.of("read"))
                    .withCredits(2L, null));

            assertThat(service.verify(created.plaintext()).getRemaining()).isEqualTo(1L);
            assertThatThrownBy(() -> service.verify(created.plaintext(), List.of("write")))
                    .as("a refused verification consumes nothing").isInstanceOf(InsufficientScopesException.class);
            assertThat(service.verify(created.plaintext()).getRemaining()).isZero();
            assertThatThrownBy(() -> service.verify(created.plaintext()))
                    .isInstanceOf(UsageExceededException.class).hasMessage("API key usage exceeded")
                    .extracting(e -> ((UsageExceededException) e).getRetryAt()).isNull();
            assertThat(service.get(created.apiKey().getId()).getRemaining()).isZero();
        }

        @Test
        void anExhaustedKeyWithARefillSaysWhenToRetryAndIsRefilledThen() {
            CreatedApiKey created = service.create(NewApiKey.named("daily")
                    .withCredits(null, new CreditRefill(1, CreditRefill.Interval.DAILY)));
            assertThat(created.apiKey().getRemaining()).as("starts with the refill amount").isEqualTo(1L);
            service.verify(created.plaintext());

            assertThatThrownBy(() -> service.verify(created.plaintext()))
                    .isInstanceOf(UsageExceededException.class)
                    .extracting(e -> ((UsageExceededException) e).getRetryAt())
                    .isEqualTo(Instant.parse("2026-06-16T00:00:00Z"));
            clock.set(Instant.parse("2026-06-16T00:00:00Z"));
            assertThat(service.verify(created.plaintext()).getRemaining()).isZero();
        }

        @Test
        void keysWithoutCreditsNeverAskTheStoreToCount() {
            AtomicInteger consumptions = new AtomicInteger();
            ApiKeyService counted = instance(new DelegatingStore(sharedStore) {
                @Override
                public CreditConsumption consumeCredit(UUID id, Instant now) {
                    consumptions.incrementAndGet();
                    return super.consumeCredit(id, now);
                }
            });
            CreatedApiKey free = counted.create(NewApiKey.named("free"));
            CreatedApiKey metered = counted.create(NewApiKey.named("metered").withCredits(100L, null));

            for (int i = 0; i < 10; i++) {
                counted.verify(free.plaintext());
            }
            assertThat(consumptions).hasValue(0);
            for (int i = 0; i < 10; i++) {
                counted.verify(metered.plaintext());
            }
            assertThat(consumptions).as("once per verification, cached or not").hasValue(10);
            assertThat(counted.get(metered.apiKey().getId()).getRemaining()).isEqualTo(90L);
        }

        @Test
        void creditsRemovedByAnAdministratorStopCounting() {
            CreatedApiKey created = service.create(NewApiKey.named("lifted").withCredits(0L, null));
            assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(UsageExceededException.class);

            service.update(created.apiKey().getId(), ApiKeyChanges.builder().remaining(null).build());

            assertThat(service.verify(created.plaintext()).getRemaining()).isNull();
        }

        @Test
        void settingARefillOnAnUncountedKeyStartsCountingWithTheAmount() {
            UUID id = service.create(NewApiKey.named("later")).apiKey().getId();

            ApiKey changed = service.update(id, ApiKeyChanges.builder()
                    .refill(new CreditRefill(50, CreditRefill.Interval.MONTHLY)).build());

            assertThat(changed.getRemaining()).isEqualTo(50L);
            assertThat(changed.getLastRefillAt()).isEqualTo(clock.instant());
            ApiKey recounted = service.update(id, ApiKeyChanges.builder().remaining(5L).build());
            assertThat(recounted.getRemaining()).isEqualTo(5L);
            assertThat(recounted.getRefill()).isEqualTo(new CreditRefill(50, CreditRefill.Interval.MONTHLY));
        }

        @Test
        void refusesNegativeCreditsAndEmptyRefills() {
            assertThatThrownBy(() -> service.create(NewApiKey.named("x").withCredits(-1L, null)))
                    .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("remaining");
            assertThatThrownBy(() -> service.create(NewApiKey.named("x")
                    .withCredits(1L, new CreditRefill(0, CreditRefill.Interval.DAILY))))
                    .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("refill");
        }
    }
}
