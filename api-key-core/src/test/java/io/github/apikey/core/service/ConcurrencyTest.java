package io.github.apikey.core.service;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.usage.CoalescingUsageRecorder;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Many threads creating, verifying, changing, deactivating and deleting keys at once, on one instance with the
 * cache and coalesced usage on: no change is lost, and no key is accepted after the call that disabled or deleted
 * it returned.
 */
class ConcurrencyTest {

    private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    private CoalescingUsageRecorder recorder;
    private ApiKeyService service;
    private ExecutorService pool;

    @BeforeEach
    void setUp() {
        recorder = new CoalescingUsageRecorder(store, Duration.ofMillis(20));
        service = ApiKeyService.builder(store, new HmacSha256ApiKeyHasher("concurrency-pepper"))
                .cache(new CaffeineVerifiedKeyCache(Duration.ofMinutes(5), 10_000))
                .usageRecorder(recorder).build();
        pool = Executors.newFixedThreadPool(8);
    }

    @AfterEach
    void tearDown() {
        pool.shutdownNow();
        recorder.close();
    }

    @RepeatedTest(3)
    void noKeyIsAcceptedAfterTheCallThatDisabledOrDeletedItReturned() throws Exception {
        int workers = 6;
        int keysPerWorker = 40;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger backgroundVerifications = new AtomicInteger();
        CreatedApiKey shared = service.create(NewApiKey.named("shared"));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> work = new ArrayList<>();
        // Background traffic keeps the cache busy with puts and hits while keys are revoked.
        for (int i = 0; i < 2; i++) {
            work.add(pool.submit(() -> {
                start.await();
                while (!stop.get()) {
                    service.verify(shared.plaintext());
                    backgroundVerifications.incrementAndGet();
                }
                return null;
            }));
        }
        List<Future<?>> revokers = new ArrayList<>();
        for (int worker = 0; worker < workers; worker++) {
            revokers.add(pool.submit((Callable<Void>) () -> {
                start.await();
                for (int i = 0; i < keysPerWorker; i++) {
                    CreatedApiKey created = service.create(NewApiKey.named("key"));
                    UUID id = created.apiKey().getId();
                    for (int use = 0; use < 3; use++) {
                        service.verify(created.plaintext());
                    }
                    service.deactivate(id);
                    assertThatThrownBy(() -> service.verify(created.plaintext()))
                            .isInstanceOf(KeyInactiveException.class);
                    service.activate(id);
                    service.verify(created.plaintext());
                    service.delete(id);
                    assertThatThrownBy(() -> service.verify(created.plaintext()))
                            .isInstanceOf(InvalidKeyException.class);
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> revoker : revokers) {
            revoker.get(60, TimeUnit.SECONDS);
        }
        stop.set(true);
        for (Future<?> future : work) {
            future.get(60, TimeUnit.SECONDS);
        }

        assertThat(backgroundVerifications.get()).isPositive();
        assertThat(service.count(ApiKeyFilter.all())).isEqualTo(1);
    }

    @Test
    void aChangeIsNeverUndoneByAConcurrentChangeToAnotherField() throws Exception {
        UUID id = service.create(NewApiKey.named("start")).apiKey().getId();
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> describers = new ArrayList<>();
        for (int thread = 0; thread < 4; thread++) {
            int writer = thread;
            describers.add(pool.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    service.update(id, ApiKeyChanges.builder().description("writer-" + writer + "-" + i).build());
                }
                return null;
            }));
        }
        List<String> undone = new ArrayList<>();
        try {
            for (int round = 0; round < 300; round++) {
                String name = "name-" + round;
                service.update(id, ApiKeyChanges.builder().name(name).build());
                Thread.sleep(0, 200_000);
                String seen = service.get(id).getName();
                if (!seen.equals(name)) {
                    undone.add(name + " became " + seen);
                }
            }
        } finally {
            stop.set(true);
            for (Future<?> describer : describers) {
                describer.get(60, TimeUnit.SECONDS);
            }
        }

        assertThat(undone).isEmpty();
        assertThat(service.get(id).getName()).isEqualTo("name-299");
    }
}
