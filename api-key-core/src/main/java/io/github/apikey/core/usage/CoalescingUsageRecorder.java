package io.github.apikey.core.usage;

import io.github.apikey.core.store.ApiKeyStore;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Collects uses in memory and writes each key's latest last-used time at most once per flush interval, in one
 * batch, instead of one UPDATE per request. A failed flush keeps its uses for the next one; {@link #close()} flushes
 * what is left, so nothing is lost on an orderly shutdown.
 */
public final class CoalescingUsageRecorder implements UsageRecorder, AutoCloseable {

    private static final Logger log = Logger.getLogger(CoalescingUsageRecorder.class.getName());

    private final ApiKeyStore store;
    private final ScheduledExecutorService scheduler;
    private final Object flushLock = new Object();
    private final AtomicLong writtenUses = new AtomicLong();
    private final AtomicLong failedFlushes = new AtomicLong();
    // System.nanoTime() of the latest flush that left nothing behind (or of the start).
    private volatile long caughtUpAt = System.nanoTime();
    private final ConcurrentHashMap<UUID, Instant> pending = new ConcurrentHashMap<>();

    /** Flushes every {@code interval} on a daemon thread of its own. */
    public CoalescingUsageRecorder(ApiKeyStore store, Duration interval) {
        this.store = Objects.requireNonNull(store, "store");
        Objects.requireNonNull(interval, "interval");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("Flush interval must be positive, was " + interval);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "api-key-last-used-flush");
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        scheduler.scheduleWithFixedDelay(this::flushQuietly, millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void recordUse(UUID id, Instant usedAt) {
        pending.merge(id, usedAt, (earlier, later) -> later.isAfter(earlier) ? later : earlier);
    }

    /**
     * Writes every pending use now, one update per key.
     *
     * @throws RuntimeException from the store; the uses are kept for the next flush
     */
    @Override
    public void flush() {
        synchronized (flushLock) {
            long startedAt = System.nanoTime();
            Map<UUID, Instant> uses = new HashMap<>(pending);
            if (uses.isEmpty()) {
                caughtUpAt = startedAt;
                return;
            }
            try {
                store.recordUses(uses);
            } catch (RuntimeException failed) {
                failedFlushes.incrementAndGet();
                throw failed;
            }
            caughtUpAt = startedAt;
            // Only what was written goes: a use recorded meanwhile has a later time and stays for the next flush.
            uses.forEach(pending::remove);
            writtenUses.addAndGet(uses.size());
            log.fine(() -> "Wrote the last-used time of " + uses.size() + " API keys");
        }
    }

    /** How many last-used times were written so far: at most one per key per flush. */
    public long writtenUses() {
        return writtenUses.get();
    }

    /** Flushes that failed so far; their uses were kept for the next one. */
    public long failedFlushes() {
        return failedFlushes.get();
    }

    /**
     * How far the stored last-used times may lag behind: the time since the start of the latest flush that wrote
     * everything pending then, or zero while nothing is pending. Grows past the flush interval only when flushes
     * fail.
     */
    public Duration flushLag() {
        if (pending.isEmpty()) {
            return Duration.ZERO;
        }
        return Duration.ofNanos(Math.max(0, System.nanoTime() - caughtUpAt));
    }

    /** Uses waiting for the next flush. */
    public int pendingUses() {
        return pending.size();
    }

    private void flushQuietly() {
        try {
            flush();
        } catch (RuntimeException failed) {
            log.log(Level.WARNING, "Could not write last-used times of API keys; will retry: " + failed);
        }
    }

    /** Stops the schedule and writes what is pending. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        flush();
    }

    @Override
    public String toString() {
        return "CoalescingUsageRecorder[pending=" + pending.size() + "]";
    }
}
