package io.github.apikey.core.cache;

import io.github.apikey.core.domain.ApiKey;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.github.benmanes.caffeine.cache.Ticker;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * {@link VerifiedKeyCache} on Caffeine, bounded in size and time. A verified key is held twice: as fresh for the
 * time-to-live, and as renewable for {@value #RETENTION_FACTOR} times as long. A fresh hit is served as it is; a
 * renewable one is due for renewal; after that the key is hashed again on its next use. Two expiring maps rather
 * than a timestamp per entry keep a hit free of any clock reading of ours. Hits take no lock; puts and
 * invalidations share one, so that an invalidation is never undone by a put from a lookup that began before it.
 */
public final class CaffeineVerifiedKeyCache implements VerifiedKeyCache {

    /** How many times the time-to-live an entry is kept for a renewal without hash work. */
    public static final int RETENTION_FACTOR = 10;

    private final Cache<ByteBuffer, Entry> fresh;
    private final Cache<ByteBuffer, Entry> renewable;
    private final ReadWriteLock invalidationLock = new ReentrantReadWriteLock();
    private volatile long generation;
    private final LongAdder hits = new LongAdder();
    private final LongAdder renewalsDue = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder invalidations = new LongAdder();

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
        this.fresh = Caffeine.newBuilder().expireAfterWrite(timeToLive).maximumSize(maximumSize).ticker(ticker)
                .build();
        // The renewable map holds every entry for longest: what leaves it for size or age is what the cache lost.
        this.renewable = Caffeine.newBuilder().expireAfterWrite(timeToLive.multipliedBy(RETENTION_FACTOR))
                .maximumSize(maximumSize).ticker(ticker)
                .evictionListener((ByteBuffer digest, Entry entry, RemovalCause cause) -> evictions.increment())
                .build();
    }

    @Override
    public Hit get(String presentedKey) {
        ByteBuffer digest = PresentedKeyDigest.of(presentedKey);
        if (digest == null) {
            misses.increment();
            return null;
        }
        Entry cached = fresh.getIfPresent(digest);
        if (cached != null) {
            hits.increment();
            return new Hit(cached.key().copy(), false, cached.previousSecret());
        }
        cached = renewable.getIfPresent(digest);
        if (cached == null) {
            misses.increment();
            return null;
        }
        renewalsDue.increment();
        return new Hit(cached.key().copy(), true, cached.previousSecret());
    }

    @Override
    public long generation() {
        return generation;
    }

    @Override
    public void put(String presentedKey, ApiKey key, boolean previousSecret, long expectedGeneration) {
        ByteBuffer digest = PresentedKeyDigest.of(presentedKey);
        if (digest == null) {
            return;
        }
        Entry snapshot = new Entry(key.copy(), previousSecret);
        invalidationLock.readLock().lock();
        try {
            if (generation == expectedGeneration) {
                renewable.put(digest, snapshot);
                fresh.put(digest, snapshot);
            }
        } finally {
            invalidationLock.readLock().unlock();
        }
    }

    @Override
    public void invalidate(UUID id) {
        invalidations.increment();
        invalidationLock.writeLock().lock();
        try {
            generation++;
            fresh.asMap().values().removeIf(cached -> cached.key().getId().equals(id));
            renewable.asMap().values().removeIf(cached -> cached.key().getId().equals(id));
        } finally {
            invalidationLock.writeLock().unlock();
        }
    }

    @Override
    public void invalidateAll() {
        invalidations.increment();
        invalidationLock.writeLock().lock();
        try {
            generation++;
            fresh.invalidateAll();
            renewable.invalidateAll();
        } finally {
            invalidationLock.writeLock().unlock();
        }
    }

    private record Entry(ApiKey key, boolean previousSecret) {
    }

    /** Keys held now, fresh or renewable, for tests and metrics. */
    public long size() {
        renewable.cleanUp();
        return renewable.estimatedSize();
    }

    /** Look-ups answered with a fresh entry. */
    public long hitCount() {
        return hits.sum();
    }

    /** Look-ups answered with an entry due for renewal (served after a read of the key's row, without hashing). */
    public long renewalCount() {
        return renewalsDue.sum();
    }

    /** Look-ups that found nothing, so the key was looked up and hashed. */
    public long missCount() {
        return misses.sum();
    }

    /** Entries dropped for size or age (not for an invalidation). */
    public long evictionCount() {
        return evictions.sum();
    }

    /** Calls to {@link #invalidate} and {@link #invalidateAll}, whoever made them. */
    public long invalidationCount() {
        return invalidations.sum();
    }

    /** Share of look-ups served without hashing (fresh and renewed entries), from 0 to 1; {@code NaN} before any. */
    public double hitRatio() {
        long served = hits.sum() + renewalsDue.sum();
        long total = served + misses.sum();
        return total == 0 ? Double.NaN : (double) served / total;
    }

    @Override
    public String toString() {
        return "CaffeineVerifiedKeyCache[size=" + renewable.estimatedSize() + "]";
    }
}
