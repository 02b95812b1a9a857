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
 * {@link VerifiedKeyCache} on Caffeine, bounded in size and time. An entry is due for renewal once it has been
 * served for the time-to-live, and is dropped once unused for {@value #RETENTION_FACTOR} times as long (its key is
 * then hashed again on its next use). Hits take no lock; puts and invalidations share one, so that an
 * invalidation is never undone by a put from a lookup that began before it.
 */
public final class CaffeineVerifiedKeyCache implements VerifiedKeyCache {

    /** How many times the time-to-live an unused entry is kept for a renewal without hash work. */
    public static final int RETENTION_FACTOR = 10;

    private final Cache<ByteBuffer, Entry> entries;
    private final Ticker ticker;
    private final long timeToLiveNanos;
    private final ReadWriteLock invalidationLock = new ReentrantReadWriteLock();
    private volatile long generation;

    public CaffeineVerifiedKeyCache(Duration timeToLive, long maximumSize) {
        this(timeToLive, maximumSize, Ticker.systemTicker());
    }

    /** With the time source {@code ticker}, for tests. */
    public CaffeineVerifiedKeyCache(Duration timeToLive, long maximumSize, Ticker ticker) {
        Objects.requireNonNull(timeToLive, "timeToLive");
        if (timeToLive.isNegative() || timeToLive.isZero()) {
            throw new IllegalArgumentException("Cache time-to-live must be positive, was " + timeToLive);
        }
        if (maximumSize < 1) {
            throw new IllegalArgumentException("Cache maximum size must be at least 1, was " + maximumSize);
        }
        this.ticker = ticker;
        this.timeToLiveNanos = timeToLive.toNanos();
        this.entries = Caffeine.newBuilder().expireAfterAccess(timeToLive.multipliedBy(RETENTION_FACTOR))
                .maximumSize(maximumSize).ticker(ticker).build();
    }

    @Override
    public Hit get(String presentedKey) {
        Entry cached = entries.getIfPresent(PresentedKeyDigest.of(presentedKey));
        return cached == null ? null : new Hit(cached.key().copy(), ticker.read() - cached.renewAt() >= 0);
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public void put(String presentedKey, ApiKey key, long expectedGeneration) {
        ByteBuffer digest = PresentedKeyDigest.of(presentedKey);
        Entry entry = new Entry(key.copy(), ticker.read() + timeToLiveNanos);
        invalidationLock.readLock().lock();
        try {
            if (generation == expectedGeneration) {
                entries.put(digest, entry);
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
            entries.asMap().values().removeIf(cached -> cached.key().getId().equals(id));
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

    /** A verified key and the ticker reading from which it is due for renewal. */
    private record Entry(ApiKey key, long renewAt) {
    }
}
