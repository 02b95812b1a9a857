package io.github.apikey.core.ratelimit;

import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.RateLimitExceededException;
import io.github.apikey.core.error.UsageExceededException;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.service.Verification;
import io.github.apikey.core.service.VerificationContext;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.MutableClock;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Rate limits: the in-memory Bucket4j limiter, the policy that picks limits, and the service that applies them. */
class RateLimitingTest {

    private static final RateLimit THREE_PER_MINUTE = new RateLimit("requests", 3, Duration.ofMinutes(1));

    private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    private final HmacSha256ApiKeyHasher hasher = new HmacSha256ApiKeyHasher("rate-limit-test-pepper");

    @Test
    void aWindowAdmitsExactlyItsLimitThenSaysWhenToRetry() {
        Bucket4jRateLimiter limiter = new Bucket4jRateLimiter();
        UUID key = UUID.randomUUID();

        List<RateLimitDecision> decisions = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            decisions.add(limiter.tryConsume(key, List.of(THREE_PER_MINUTE)));
        }

        assertThat(decisions).extracting(RateLimitDecision::allowed).containsExactly(true, true, true, false);
        assertThat(decisions).extracting(RateLimitDecision::remaining).containsExactly(2L, 1L, 0L, 0L);
        RateLimitDecision refused = decisions.get(3);
        assertThat(refused.governing()).isEqualTo(THREE_PER_MINUTE);
        assertThat(refused.retryAfter()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(refused.reset()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
        assertThat(decisions.get(0).retryAfter()).isZero();
        assertThat(limiter.tryConsume(UUID.randomUUID(), List.of(THREE_PER_MINUTE)).allowed())
                .as("budgets are per key").isTrue();
    }

    /** Headers report the governing limit's reset, not when the longest window ends. */
    @Test
    void withSeveralLimitsTheResetIsTheGoverningLimits() {
        Bucket4jRateLimiter limiter = new Bucket4jRateLimiter();
        RateLimit perMinute = new RateLimit("requests", 2, Duration.ofMinutes(1));
        RateLimit perDay = new RateLimit("daily", 100, Duration.ofDays(1));

        RateLimitDecision decision = limiter.tryConsume(UUID.randomUUID(), List.of(perDay, perMinute));

        assertThat(decision.governing()).isEqualTo(perMinute);
        assertThat(decision.remaining()).isEqualTo(1);
        assertThat(decision.reset()).isPositive().isLessThanOrEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theBudgetIsRestoredInFullWhenTheWindowEnds() throws InterruptedException {
        Bucket4jRateLimiter limiter = new Bucket4jRateLimiter();
        UUID key = UUID.randomUUID();
        RateLimit twoPerSecond = new RateLimit("burst", 2, Duration.ofSeconds(1));
        limiter.tryConsume(key, List.of(twoPerSecond));
        limiter.tryConsume(key, List.of(twoPerSecond));
        RateLimitDecision refused = limiter.tryConsume(key, List.of(twoPerSecond));
        assertThat(refused.allowed()).isFalse();

        Thread.sleep(refused.retryAfter().toMillis() + 50);

        RateLimitDecision again = limiter.tryConsume(key, List.of(twoPerSecond));
        assertThat(again.allowed()).isTrue();
        assertThat(again.remaining()).isEqualTo(1);
    }

    @Test
    void withSeveralLimitsTheOneWithFewestLeftGovernsAndARefusalTakesFromNone() {
        Bucket4jRateLimiter limiter = new Bucket4jRateLimiter();
        UUID key = UUID.randomUUID();
        RateLimit perSecond = new RateLimit("burst", 5, Duration.ofSeconds(10));
        RateLimit perDay = new RateLimit("daily", 2, Duration.ofDays(1));
        List<RateLimit> limits = List.of(perSecond, perDay);

        RateLimitDecision first = limiter.tryConsume(key, limits);
        RateLimitDecision second = limiter.tryConsume(key, limits);
        RateLimitDecision third = limiter.tryConsume(key, limits);

        assertThat(first.governing()).isEqualTo(perDay);
        assertThat(first.remaining()).isEqualTo(1);
        assertThat(second.remaining()).isZero();
        assertThat(third.allowed()).isFalse();
        assertThat(third.governing()).isEqualTo(perDay);
        assertThat(third.retryAfter()).isGreaterThan(Duration.ofHours(23));
    }

    @Test
    void concurrentRequestsNeverGetMoreThanTheLimit() throws Exception {
        Bucket4jRateLimiter limiter = new Bucket4jRateLimiter();
        UUID key = UUID.randomUUID();
        RateLimit hundred = new RateLimit("requests", 100, Duration.ofMinutes(5));
        AtomicInteger allowed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                work.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < 50; i++) {
                        if (limiter.tryConsume(key, List.of(hundred)).allowed()) {
                            allowed.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> future : work) {
                future.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(allowed).hasValue(100);
    }

    @Test
    void aKeysOwnLimitsWinOverItsScopesWhichWinOverTheDefaults() {
        RateLimit fallback = new RateLimit("default", 10, Duration.ofMinutes(1));
        RateLimit reads = new RateLimit("reads", 100, Duration.ofMinutes(1));
        RateLimit writes = new RateLimit("writes", 5, Duration.ofMinutes(1));
        RateLimitPolicy policy = new RateLimitPolicy(List.of(fallback),
                Map.of("read", List.of(reads), "write", List.of(writes)));
        ApiKeyService service = ApiKeyService.builder(store, hasher).rateLimitPolicy(policy).build();

        assertThat(policy.limitsFor(service.create(NewApiKey.named("own").withScopes(List.of("write"))
                .withRateLimits(List.of(THREE_PER_MINUTE))).apiKey())).containsExactly(THREE_PER_MINUTE);
        assertThat(policy.limitsFor(service.create(NewApiKey.named("rw").withScopes(List.of("read", "write", "x")))
                .apiKey())).containsExactly(reads, writes);
        assertThat(policy.limitsFor(service.create(NewApiKey.named("other").withScopes(List.of("x"))).apiKey()))
                .containsExactly(fallback);
        assertThat(RateLimitPolicy.KEYS_OWN_LIMITS.limitsFor(service.create(NewApiKey.named("free")).apiKey()))
                .isEmpty();
    }

    @Test
    void theServiceRefusesASpentKeyBeforeItCostsACredit() {
        ApiKeyService service = ApiKeyService.builder(store, hasher).build();
        CreatedApiKey created = service.create(NewApiKey.named("limited").withCredits(10L, null)
                .withRateLimits(List.of(THREE_PER_MINUTE)));

        Verification first = service.authenticate(created.plaintext(), VerificationContext.NONE);
        service.verify(created.plaintext());
        service.verify(created.plaintext());

        assertThat(first.rateLimit().remaining()).isEqualTo(2);
        assertThatThrownBy(() -> service.verify(created.plaintext()))
                .isInstanceOf(RateLimitExceededException.class).hasMessage("API key rate limit exceeded")
                .satisfies(e -> {
                    RateLimitExceededException refused = (RateLimitExceededException) e;
                    assertThat(refused.getCode()).isEqualTo(ApiKeyErrorCode.RATE_LIMITED);
                    assertThat(refused.getDecision().retryAfter()).isPositive();
                });
        assertThat(service.get(created.apiKey().getId()).getRemaining()).isEqualTo(7L);
    }

    @Test
    void budgetsFollowTheServicesClock() {
        MutableClock clock = new MutableClock(Instant.parse("2026-06-15T10:00:00Z"));
        ApiKeyService service = ApiKeyService.builder(store, hasher).clock(clock).build();
        CreatedApiKey created = service.create(NewApiKey.named("clocked").withRateLimits(List.of(THREE_PER_MINUTE)));
        for (int i = 0; i < 3; i++) {
            service.verify(created.plaintext());
        }
        assertThatThrownBy(() -> service.verify(created.plaintext()))
                .isInstanceOf(RateLimitExceededException.class)
                .satisfies(e -> assertThat(((RateLimitExceededException) e).getDecision().retryAfter())
                        .isEqualTo(Duration.ofMinutes(1)));

        clock.advance(Duration.ofSeconds(59));
        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(RateLimitExceededException.class);
        clock.advance(Duration.ofSeconds(1));
        Verification renewed = service.authenticate(created.plaintext(), VerificationContext.NONE);
        assertThat(renewed.rateLimit().remaining()).isEqualTo(2);
        assertThat(renewed.rateLimit().reset()).isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void anExhaustedKeyIsRefusedForItsCreditsOnceItsRateAllows() {
        ApiKeyService service = ApiKeyService.builder(store, hasher).build();
        CreatedApiKey created = service.create(NewApiKey.named("both").withCredits(0L, null)
                .withRateLimits(List.of(THREE_PER_MINUTE)));

        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(UsageExceededException.class);
    }

    @Test
    void keysWithoutLimitsNeverReachTheLimiter() {
        AtomicInteger calls = new AtomicInteger();
        ApiKeyService service = ApiKeyService.builder(store, hasher).rateLimiter((keyId, limits) -> {
            calls.incrementAndGet();
            return new Bucket4jRateLimiter().tryConsume(keyId, limits);
        }).build();
        CreatedApiKey free = service.create(NewApiKey.named("free"));
        CreatedApiKey limited = service.create(NewApiKey.named("limited").withRateLimits(List.of(THREE_PER_MINUTE)));

        assertThat(service.authenticate(free.plaintext(), VerificationContext.NONE).rateLimit()).isNull();
        service.verify(limited.plaintext());

        assertThat(calls).hasValue(1);
    }

    /** A shared limiter that lets requests through while its store is down answers null: no budget to report. */
    @Test
    void aRequestTheLimiterDidNotCountPassesWithoutADecision() {
        AtomicInteger calls = new AtomicInteger();
        ApiKeyService service = ApiKeyService.builder(store, hasher).rateLimiter((keyId, limits) -> {
            calls.incrementAndGet();
            return null;
        }).build();
        CreatedApiKey limited = service.create(NewApiKey.named("limited")
                .withRateLimits(List.of(new RateLimit("requests", 1, Duration.ofHours(1)))));

        for (int i = 0; i < 3; i++) {
            assertThat(service.authenticate(limited.plaintext(), VerificationContext.NONE).rateLimit()).isNull();
        }
        assertThat(calls).hasValue(3);
    }

    @Test
    void changingAKeysLimitsStartsANewBudget() {
        ApiKeyService service = ApiKeyService.builder(store, hasher).build();
        CreatedApiKey created = service.create(NewApiKey.named("changed")
                .withRateLimits(List.of(new RateLimit("requests", 1, Duration.ofHours(1)))));
        service.verify(created.plaintext());
        assertThatThrownBy(() -> service.verify(created.plaintext())).isInstanceOf(RateLimitExceededException.class);

        service.update(created.apiKey().getId(), ApiKeyChanges.builder()
                .rateLimits(List.of(new RateLimit("requests", 2, Duration.ofHours(1)))).build());

        assertThat(service.authenticate(created.plaintext(), VerificationContext.NONE).rateLimit().remaining())
                .isEqualTo(1);
        service.update(created.apiKey().getId(), ApiKeyChanges.builder().rateLimits(null).build());
        assertThat(service.authenticate(created.plaintext(), VerificationContext.NONE).rateLimit()).isNull();
    }

    @Test
    void bucketsWholeAgainAreDroppedWhenTheirNumberDoublesAndSpentOnesAreKept() throws InterruptedException {
        Bucket4jRateLimiter limiter = new Bucket4jRateLimiter(Bucket4jRateLimiter.DEFAULT_MAXIMUM_BUCKETS, Runnable::run);
        List<RateLimit> shortWindow = List.of(new RateLimit("requests", 1, Duration.ofMillis(50)));
        List<RateLimit> longWindow = List.of(new RateLimit("requests", 1, Duration.ofHours(1)));
        List<UUID> spent = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            assertThat(limiter.tryConsume(UUID.randomUUID(), shortWindow).allowed()).isTrue();
        }
        for (int i = 0; i < 20; i++) {
            UUID keyId = UUID.randomUUID();
            assertThat(limiter.tryConsume(keyId, longWindow).allowed()).isTrue();
            spent.add(keyId);
        }
        assertThat(limiter.size()).isEqualTo(1020);
        TimeUnit.MILLISECONDS.sleep(120); // the short windows end: those budgets are whole again

        for (int i = 0; i < 4; i++) { // the 1,024th bucket triggers the sweep
            limiter.tryConsume(UUID.randomUUID(), longWindow);
        }

        assertThat(limiter.size()).isEqualTo(24);
        for (UUID keyId : spent) {
            assertThat(limiter.tryConsume(keyId, longWindow).allowed()).as("a spent budget survives the sweep")
                    .isFalse();
        }
    }

    @Test
    void refusesMalformedLimitsNamingTheField() {
        ApiKeyService service = ApiKeyService.builder(store, hasher).build();
        for (RateLimit bad : List.of(new RateLimit("Requests", 1, Duration.ofMinutes(1)),
                new RateLimit("requests", 0, Duration.ofMinutes(1)),
                new RateLimit("requests", 1, Duration.ofMillis(500)),
                new RateLimit("requests", 1, Duration.ofDays(400)),
                new RateLimit("requests", 1_000_000_001L, Duration.ofSeconds(1)),
                new RateLimit("requests", 10_000_000_000_000L, Duration.ofSeconds(1)))) {
            assertThatThrownBy(() -> service.create(NewApiKey.named("bad").withRateLimits(List.of(bad))))
                    .as(bad.toString()).isInstanceOf(ApiKeyValidationException.class)
                    .extracting(e -> ((ApiKeyValidationException) e).getField()).isEqualTo("rateLimits");
        }
        RateLimit fastest = new RateLimit("requests", 1_000_000_000L, Duration.ofSeconds(1));
        CreatedApiKey fast = service.create(NewApiKey.named("fastest").withRateLimits(List.of(fastest)));
        assertThat(service.authenticate(fast.plaintext(), VerificationContext.NONE).rateLimit().allowed()).isTrue();
        assertThatThrownBy(() -> service.create(NewApiKey.named("twice")
                .withRateLimits(List.of(THREE_PER_MINUTE, THREE_PER_MINUTE))))
                .isInstanceOf(ApiKeyValidationException.class).hasMessageContaining("unique");
    }
}
