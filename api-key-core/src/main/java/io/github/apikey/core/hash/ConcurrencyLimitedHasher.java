package io.github.apikey.core.hash;

import io.github.apikey.core.error.VerificationCapacityExceededException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * Lets at most {@code maxConcurrent} hash computations run at once (Argon2 takes 64 MiB and a core each at its
 * default cost). A caller waits up to {@code maxWait} for a permit and then fails with
 * {@link VerificationCapacityExceededException}, so that a flood of wrong or unknown keys cannot pin every request
 * thread either: verifications served from the cache never come here.
 */
public final class ConcurrencyLimitedHasher implements ApiKeyHasher {

    private final ApiKeyHasher delegate;
    private final Semaphore permits;
    private final int maxConcurrent;
    private final long maxWaitNanos;

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
    }

    @Override
    public String hash(String secret) {
        acquire();
        try {
            return delegate.hash(secret);
        } finally {
            permits.release();
        }
    }

    @Override
    public boolean verify(String storedHash, String secret) {
        acquire();
        try {
            return delegate.verify(storedHash, secret);
        } finally {
            permits.release();
        }
    }

    /** Hash computations running now. */
    public int inUse() {
        return maxConcurrent - permits.availablePermits();
    }

    public int getMaxConcurrent() {
        return maxConcurrent;
    }

    public ApiKeyHasher getDelegate() {
        return delegate;
    }

    private void acquire() {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxWaitNanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VerificationCapacityExceededException("Interrupted while waiting to verify an API key");
        }
        if (!acquired) {
            throw new VerificationCapacityExceededException("Too many API key verifications at once; try again");
        }
    }

    @Override
    public String toString() {
        return "ConcurrencyLimitedHasher[" + delegate + ", maxConcurrent=" + maxConcurrent + "]";
    }
}
