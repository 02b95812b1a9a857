package io.github.apikey.core.hash;

import io.github.apikey.core.error.VerificationCapacityExceededException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * Lets at most {@code maxConcurrent} hash computations run at once (Argon2 takes 64 MiB and a core each at its
 * default cost), on threads of their own at background priority (see {@link BackgroundPriority}). A caller waits
 * up to {@code maxWait} for a slot and then fails with {@link VerificationCapacityExceededException}, so that a
 * flood of wrong or unknown keys can neither exhaust memory nor pin every request thread nor starve the CPU of
 * requests with cached keys, which never come here. Close it to stop its threads.
 *
 * <p>{@link #bounded} holds one slot for a whole verification, store lookup included, so that a flood of unknown
 * key ids puts at most {@code maxConcurrent} lookups on the store at once.
 */
public final class ConcurrencyLimitedHasher implements ApiKeyHasher, AutoCloseable {

    private final ApiKeyHasher delegate;
    private final Semaphore permits;
    private final int maxConcurrent;
    private final long maxWaitNanos;
    private final ExecutorService hashThreads;
    private final ThreadLocal<Boolean> holdsSlot = ThreadLocal.withInitial(() -> Boolean.FALSE);
    private final LongAdder slotsAcquired = new LongAdder();
    private final LongAdder slotWaitNanos = new LongAdder();
    private final LongAdder slotsRefused = new LongAdder();

    public ConcurrencyLimitedHasher(ApiKeyHasher delegate, int maxConcurrent, Duration maxWait) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        if (maxConcurrent < 1) {
            throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("maxWait must not be negative, was " + maxWait);
        }
        this.maxConcurrent = maxConcurrent;
        this.permits = new Semaphore(maxConcurrent, true);
        this.maxWaitNanos = maxWait.toNanos();
        AtomicInteger threadNumber = new AtomicInteger();
        // Idle threads end after a minute, so an unused or forgotten hasher holds none.
        ThreadPoolExecutor pool = new ThreadPoolExecutor(maxConcurrent, maxConcurrent, 60, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), task -> {
                    Thread thread = new Thread(() -> {
                        BackgroundPriority.lowerCurrentThread();
                        task.run();
                    }, "api-key-hash-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        pool.allowCoreThreadTimeOut(true);
        this.hashThreads = pool;
    }

    @Override
    public String hash(String secret) {
        return run(() -> delegate.hash(secret));
    }

    @Override
    public boolean verify(String storedHash, String secret) {
        return run(() -> delegate.verify(storedHash, secret));
    }

    @Override
    public <T> T bounded(Supplier<T> verification) {
        if (holdsSlot.get()) {
            return verification.get();
        }
        acquire();
        holdsSlot.set(Boolean.TRUE);
        try {
            return verification.get();
        } finally {
            holdsSlot.remove();
            permits.release();
        }
    }

    private <T> T run(Callable<T> work) {
        if (holdsSlot.get()) {
            return onHashThread(work);
        }
        acquire();
        try {
            return onHashThread(work);
        } finally {
            permits.release();
        }
    }

    private <T> T onHashThread(Callable<T> work) {
        try {
            return hashThreads.submit(work).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerificationCapacityExceededException("Interrupted while verifying an API key");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("Hashing failed", e.getCause());
        }
    }

    /** Stops the hash threads. */
    @Override
    public void close() {
        hashThreads.shutdownNow();
    }

    /** Hash computations running now. */
    public int inUse() {
        return maxConcurrent - permits.availablePermits();
    }

    /** How many times a slot was obtained so far (a verification's or a lone hash's). */
    public long slotsAcquired() {
        return slotsAcquired.sum();
    }

    /** Total time callers waited for the slots they obtained, in nanoseconds. */
    public long slotWaitNanos() {
        return slotWaitNanos.sum();
    }

    /** How many callers gave up after waiting {@code maxWait} (or were interrupted) and were answered 503. */
    public long slotsRefused() {
        return slotsRefused.sum();
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    public ApiKeyHasher getDelegate() {
        return delegate;
    }

    private void acquire() {
        // Counted here, on the hash path only: cached verifications never come here.
        long startedAt = System.nanoTime();
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            slotsRefused.increment();
            Thread.currentThread().interrupt();
            throw new VerificationCapacityExceededException("Interrupted while waiting to verify an API key");
        }
        if (!acquired) {
            slotsRefused.increment();
            throw new VerificationCapacityExceededException("Too many API key verifications at once; try again");
        }
        slotWaitNanos.add(System.nanoTime() - startedAt);
        slotsAcquired.increment();
    }

    @Override
    public String toString() {
        return "ConcurrencyLimitedHasher[" + delegate + ", maxConcurrent=" + maxConcurrent + "]";
    }
}
