package io.github.apikey.core.cache;

import io.github.apikey.core.domain.ApiKey;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static io.github.apikey.core.testing.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CaffeineVerifiedKeyCacheTest {

    private static final String PRESENTED = "ak_v1-0123456789abcdef-" + "s".repeat(64);

    private final AtomicLong nanos = new AtomicLong();
    private final CaffeineVerifiedKeyCache cache = new CaffeineVerifiedKeyCache(Duration.ofMinutes(1), 100,
            nanos::get);

    @Test
    void returnsIndependentCopiesOfWhatWasPut() {
        ApiKey key = key("cached").scopes(List.of("read")).build();
        cache.put(PRESENTED, key, cache.generation());
        key.disable();

        ApiKey hit = cache.get(PRESENTED).key();
        hit.setName("changed");

        assertThat(hit.isActive()).isTrue();
        assertThat(cache.get(PRESENTED).key().getName()).isEqualTo("cached");
        assertThat(cache.get(PRESENTED + "x")).isNull();
    }

    @Test
    void entriesAreDueForRenewalAfterTheirTimeToLiveAndARenewalStartsItAgain() {
        ApiKey key = key("k").build();
        cache.put(PRESENTED, key, cache.generation());

        nanos.addAndGet(Duration.ofSeconds(59).toNanos());
        assertThat(cache.get(PRESENTED).renewalDue()).isFalse();
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(cache.get(PRESENTED).renewalDue()).isTrue();

        cache.put(PRESENTED, key, cache.generation());
        assertThat(cache.get(PRESENTED).renewalDue()).isFalse();
    }

    @Test
    void entriesNotRenewedForTenTimesTheTimeToLiveAreDropped() {
        ApiKey used = key("used").build();
        cache.put(PRESENTED, used, cache.generation());
        cache.put(PRESENTED + "2", key("idle").build(), cache.generation());

        for (int minute = 0; minute < 10; minute++) {
            nanos.addAndGet(Duration.ofMinutes(1).toNanos());
            // As the service does on a due hit: the row still holds the hash, so the entry is renewed.
            if (cache.get(PRESENTED).renewalDue()) {
                cache.put(PRESENTED, used, cache.generation());
            }
        }
        nanos.addAndGet(Duration.ofSeconds(1).toNanos());

        assertThat(cache.get(PRESENTED)).isNotNull();
        assertThat(cache.get(PRESENTED + "2")).isNull();
    }

    @Test
    void invalidateForgetsEveryEntryOfThatKeyOnly() {
        ApiKey first = key("first").build();
        ApiKey second = key("second").build();
        cache.put(PRESENTED, first, cache.generation());
        cache.put(PRESENTED + "2", second, cache.generation());

        cache.invalidate(first.getId());

        assertThat(cache.get(PRESENTED)).isNull();
        assertThat(cache.get(PRESENTED + "2")).isNotNull();
        cache.invalidateAll();
        assertThat(cache.size()).isZero();
    }

    @Test
    void aPutFromALookupThatBeganBeforeAnInvalidationIsRefused() {
        ApiKey key = key("raced").build();
        long generationBeforeLookup = cache.generation();

        cache.invalidate(key.getId());
        cache.put(PRESENTED, key, generationBeforeLookup);

        assertThat(cache.get(PRESENTED)).isNull();
        cache.put(PRESENTED, key, cache.generation());
        assertThat(cache.get(PRESENTED)).isNotNull();
    }

    @Test
    void neverHoldsThePresentedKey() {
        cache.put(PRESENTED, key("k").build(), cache.generation());

        assertThat(cache.toString()).doesNotContain(PRESENTED);
        assertThat(PresentedKeyDigest.of(PRESENTED).remaining()).isEqualTo(32);
        assertThat(PresentedKeyDigest.of(PRESENTED)).isEqualTo(PresentedKeyDigest.of(PRESENTED));
    }

    @Test
    void validatesItsBounds() {
        assertThatThrownBy(() -> new CaffeineVerifiedKeyCache(Duration.ZERO, 1)).hasMessageContaining("positive");
        assertThatThrownBy(() -> new CaffeineVerifiedKeyCache(Duration.ofSeconds(1), 0))
                .hasMessageContaining("at least 1");
    }
}
