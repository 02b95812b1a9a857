package io.github.apikey.core.hash;

import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.VerificationCapacityExceededException;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConcurrencyLimitedHasherTest {

    @Test
    void neverRunsMoreThanItsLimitAtOnceUnderConcurrency() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ApiKeyHasher slow = new ApiKeyHasher() {
            @Override
            public String hash(String secret) {
                return secret;
            }

            @Override
            public boolean verify(String storedHash, String secret) {
                peak.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                running.decrementAndGet();
                return true;
            }
        };
        ConcurrencyLimitedHasher limited = new ConcurrencyLimitedHasher(slow, 3, Duration.ofSeconds(30));
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                results.add(pool.submit(() -> limited.verify("h", "s")));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(peak.get()).isEqualTo(3);
        assertThat(limited.inUse()).isZero();
    }

    @Test
    void failsFastWithA503KindOfErrorWhenNoPermitComesFreeInTime() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ApiKeyHasher blocking = new ApiKeyHasher() {
            @Override
            public String hash(String secret) {
                return secret;
            }

            @Override
            public boolean verify(String storedHash, String secret) {
                holding.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return true;
            }
        };
        ConcurrencyLimitedHasher limited = new ConcurrencyLimitedHasher(blocking, 1, Duration.ofMillis(50));
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Boolean> first = pool.submit(() -> limited.verify("h", "s"));
            holding.await();

            assertThatThrownBy(() -> limited.verify("h", "s"))
                    .isInstanceOf(VerificationCapacityExceededException.class)
                    .isInstanceOf(ApiKeyStoreException.class);
            assertThatThrownBy(() -> limited.hash("s")).isInstanceOf(VerificationCapacityExceededException.class);
            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(limited.verify("h", "s")).isTrue();
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void validatesItsLimits() {
        ApiKeyHasher hasher = new HmacSha256ApiKeyHasher("pepper");
        assertThatThrownBy(() -> new ConcurrencyLimitedHasher(hasher, 0, Duration.ZERO))
                .hasMessageContaining("at least 1");
        assertThatThrownBy(() -> new ConcurrencyLimitedHasher(hasher, 1, Duration.ofSeconds(-1)))
                .hasMessageContaining("negative");
        assertThat(new ConcurrencyLimitedHasher(hasher, 2, Duration.ZERO).toString()).doesNotContain("pepper");
    }
}
