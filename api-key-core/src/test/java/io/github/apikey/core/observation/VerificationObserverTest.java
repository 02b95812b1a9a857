package io.github.apikey.core.observation;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.service.VerificationContext;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.DelegatingStore;
import io.github.apikey.core.testing.MutableClock;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/** What the service tells its {@link VerificationObserver}: one end per verification, with outcome and path. */
class VerificationObserverTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String PEPPER = "observer-test-pepper-0123456789abcdef";

    record Ended(VerificationOutcome outcome, VerificationPath path, String keyId) {
    }

    private final MutableClock clock = new MutableClock(NOW);
    private final AtomicBoolean storeDown = new AtomicBoolean();
    private final AtomicBoolean storeFailsWithAnError = new AtomicBoolean();
    private final List<Ended> ended = new ArrayList<>();
    private int started;
    private ApiKeyService service;

    @BeforeEach
    void setUp() {
        InMemoryApiKeyStore memory = new InMemoryApiKeyStore();
        DelegatingStore store = new DelegatingStore(memory) {
            @Override
            public Optional<io.github.apikey.core.domain.ApiKey> findByKeyId(String keyId) {
                if (storeDown.get()) {
                    throw new ApiKeyStoreException("store down", null);
                }
                if (storeFailsWithAnError.get()) {
                    throw new StackOverflowError("deep in a driver");
                }
                return super.findByKeyId(keyId);
            }
        };
        VerificationObserver observer = () -> {
            started++;
            return (outcome, path, keyId) -> ended.add(new Ended(outcome, path, keyId));
        };
        service = ApiKeyService.builder(store, new HmacSha256ApiKeyHasher(PEPPER)).clock(clock)
                .cache(new CaffeineVerifiedKeyCache(Duration.ofMinutes(1), 100)).observer(observer).build();
    }

    private Ended last() {
        assertThat(started).isEqualTo(ended.size());
        return ended.get(ended.size() - 1);
    }

    @Test
    void aValidKeyIsHashedOnceThenServedFromTheCacheThenRenewed() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        String keyId = created.apiKey().getKeyId();

        service.verify(created.plaintext());
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.VALID, VerificationPath.HASH, keyId));
        service.verify(created.plaintext());
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.VALID, VerificationPath.CACHE, keyId));
    }

    @Test
    void aRenewalWithoutHashWorkIsItsOwnPath() {
        MutableTicker ticker = new MutableTicker();
        ApiKeyService renewing = ApiKeyService.builder(new InMemoryApiKeyStore(), new HmacSha256ApiKeyHasher(PEPPER))
                .cache(new CaffeineVerifiedKeyCache(Duration.ofMinutes(1), 100, ticker))
                .observer(() -> (outcome, path, keyId) -> ended.add(new Ended(outcome, path, keyId))).build();
        CreatedApiKey created = renewing.create(NewApiKey.named("k"));
        renewing.verify(created.plaintext());
        ticker.nanos += Duration.ofMinutes(2).toNanos();

        renewing.verify(created.plaintext());

        assertThat(ended).extracting(Ended::path).containsExactly(VerificationPath.HASH, VerificationPath.RENEWAL);
        assertThat(ended).extracting(Ended::outcome).containsOnly(VerificationOutcome.VALID);
    }

    @Test
    void refusalsBeforeAnyLookUpHaveNoPathAndNoKeyId() {
        catchThrowable(() -> service.verify(" "));
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.MISSING, VerificationPath.NONE, null));
        catchThrowable(() -> service.verify("not-a-key"));
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.INVALID, VerificationPath.NONE, null));
    }

    @Test
    void aWrongSecretOrAnUnknownKeyIdIsInvalidWithoutKeyId() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        String plaintext = created.plaintext();
        String wrongSecret = plaintext.substring(0, plaintext.length() - 1)
                + (plaintext.endsWith("a") ? "b" : "a");
        String unknownKeyId = service.getFormat().format(service.getFormat().newKeyId(),
                service.getFormat().newSecret());

        catchThrowable(() -> service.verify(wrongSecret));
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.INVALID, VerificationPath.HASH, null));
        catchThrowable(() -> service.verify(unknownKeyId));
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.INVALID, VerificationPath.HASH, null));
    }

    @Test
    void refusalsAfterTheSecretMatchedCarryTheKeyId() {
        CreatedApiKey inactive = service.create(NewApiKey.named("inactive").withActive(false));
        CreatedApiKey scoped = service.create(NewApiKey.named("scoped").withScopes(List.of("read")));
        CreatedApiKey expiring = service.create(NewApiKey.named("expiring").withExpiresAt(NOW.plusSeconds(60)));
        CreatedApiKey restricted = service.create(NewApiKey.named("restricted")
                .withAllowedIps(List.of("10.0.0.0/8")));
        CreatedApiKey limited = service.create(NewApiKey.named("limited")
                .withRateLimits(List.of(new RateLimit("requests", 1, Duration.ofHours(1)))));
        CreatedApiKey credits = service.create(NewApiKey.named("credits").withCredits(0L, null));

        catchThrowable(() -> service.verify(inactive.plaintext()));
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.INACTIVE, VerificationPath.HASH,
                inactive.apiKey().getKeyId()));
        catchThrowable(() -> service.verify(scoped.plaintext(), List.of("write")));
        assertThat(last().outcome()).isEqualTo(VerificationOutcome.INSUFFICIENT_SCOPE);
        catchThrowable(() -> service.verify(restricted.plaintext(),
                VerificationContext.requiring(List.of()).withClientAddress("192.168.1.1")));
        assertThat(last().outcome()).isEqualTo(VerificationOutcome.ADDRESS_NOT_ALLOWED);
        service.verify(limited.plaintext());
        catchThrowable(() -> service.verify(limited.plaintext()));
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.RATE_LIMITED, VerificationPath.CACHE,
                limited.apiKey().getKeyId()));
        catchThrowable(() -> service.verify(credits.plaintext()));
        assertThat(last().outcome()).isEqualTo(VerificationOutcome.USAGE_EXCEEDED);
        clock.advance(Duration.ofMinutes(5));
        catchThrowable(() -> service.verify(expiring.plaintext()));
        assertThat(last().outcome()).isEqualTo(VerificationOutcome.EXPIRED);
    }

    @Test
    void aStoreThatCannotAnswerIsUnavailable() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        storeDown.set(true);

        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(ApiKeyStoreException.class);
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.UNAVAILABLE, VerificationPath.HASH, null));
    }

    /** An Error too ends the verification, so that an observer can close what it opened for it (a tracing scope). */
    @Test
    void anErrorIsAnErrorOutcomeAndStillEndsTheVerification() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        storeFailsWithAnError.set(true);

        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(StackOverflowError.class);
        assertThat(last()).isEqualTo(new Ended(VerificationOutcome.ERROR, VerificationPath.HASH, null));
    }

    @Test
    void bothTellsEachObserverOnce() {
        List<String> calls = new ArrayList<>();
        VerificationObserver first = () -> {
            calls.add("start 1");
            return (outcome, path, keyId) -> calls.add("end 1 " + outcome.tagValue());
        };
        VerificationObserver second = () -> {
            calls.add("start 2");
            return (outcome, path, keyId) -> calls.add("end 2 " + path.tagValue());
        };
        ApiKeyService observed = ApiKeyService.builder(new InMemoryApiKeyStore(), new HmacSha256ApiKeyHasher(PEPPER))
                .observer(VerificationObserver.both(first, second)).build();

        catchThrowable(() -> observed.verify(null));

        assertThat(calls).containsExactly("start 1", "start 2", "end 2 none", "end 1 missing");
        assertThat(VerificationObserver.both(VerificationObserver.NONE, first)).isSameAs(first);
        assertThat(VerificationObserver.both(first, VerificationObserver.NONE)).isSameAs(first);
    }

    @Test
    void aChangeThatEvictsTheKeySendsTheNextVerificationToTheHashPath() {
        CreatedApiKey created = service.create(NewApiKey.named("k"));
        service.verify(created.plaintext());
        service.update(created.apiKey().getId(), ApiKeyChanges.builder().name("renamed").build());

        service.verify(created.plaintext());

        assertThat(last().path()).isEqualTo(VerificationPath.HASH);
    }

    static final class MutableTicker implements com.github.benmanes.caffeine.cache.Ticker {
        long nanos;

        @Override
        public long read() {
            return nanos;
        }
    }
}
