package io.github.apikey.core.cache;

import io.github.apikey.core.domain.ApiKey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link VerifiedKeyCache} on Caffeine, bounded in size and time. Hits take no lock; puts (on misses only) and
 * invalidations share one, so that an invalidation is never undone by a put from a lookup that began before it.
 */
public final class CaffeineVerifiedKeyCache implements VerifiedKeyCache {

    private final Cache<ByteBuffer, ApiKey> entries;
    private final ReadWriteLock invalidationLock = new ReentrantReadWriteLock();
    private volatile long generation;

    public CaffeineVerifiedKeyCache(Duration timeToLive, long maximumSize) {
        this(timeToLive, maximumSize, Ticker.systemTicker());
    }

    CaffeineVerifiedKeyCache(Duration timeToLive, long maximumSize, Ticker ticker) {
        Objects.requireNonNull(timeToLive, "timeToLive");
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("Cache time-to-live must be positive, was " + timeToLive);
        }
        if (maximumSize < 1) {
            throw new IllegalArgumentException("Cache maximum size must be at least 1, was " + maximumSize);
        }
        this.entries = Caffeine.newBuilder().expireAfterWrite(timeToLive).maximumSize(maximumSize).ticker(ticker)
                .build();
    }

    @Override
    public ApiKey get(String presentedKey) {
        ApiKey cached = entries.getIfPresent(PresentedKeyDigest.of(presentedKey));
        return cached == null ? null : cached.copy();
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public void put(String presentedKey, ApiKey key, long expectedGeneration) {
        ByteBuffer digest = PresentedKeyDigest.of(presentedKey);
        ApiKey snapshot = key.copy();
        invalidationLock.readLock().lock();
        try {
            if (generation == expectedGeneration) {
                entries.put(digest, snapshot);
            }
        } finally {
            invalidationLock.readLock().unlock();
        }
    }

    @Override
    public void invalidate(UUID id) {
        invalidationLock.writeLock().lock();
        try {
            generation++;
            entries.asMap().values().removeIf(cached -> cached.getId().equals(id));
        } finally {
            invalidationLock.writeLock().unlock();
        }
    }

    @Override
    public void invalidateAll() {
        invalidationLock.writeLock().lock();
        try {
            generation++;
            entries.invalidateAll();
        } finally {
            invalidationLock.writeLock().unlock();
        }
    }

    /** Entries held now, for tests and metrics. */
    public long size() {
        entries.cleanUp();
        return entries.estimatedSize();
    }

    @Override
    public String toString() {
        return "CaffeineVerifiedKeyCache[size=" + entries.estimatedSize() + "]";
    }
}
