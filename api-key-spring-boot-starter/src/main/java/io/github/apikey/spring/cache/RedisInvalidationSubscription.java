package io.github.apikey.spring.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.data.redis.connection.RedisConnection;
import org.springframework.data.redis.core.RedisCallback;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Keeps the invalidation subscription of a {@link RedisBroadcastingVerifiedKeyCache} going, whatever Redis does.
 *
 * <ul>
 *   <li>Redis down at start-up does not stop the application: one warning, then the cache works with local
 *       invalidation only, and the subscription is attempted again every {@code recoveryInterval} until Redis
 *       answers.</li>
 *   <li>Once subscribed, Redis is pinged every {@code recoveryInterval}, so that
 *       {@link RedisBroadcastingVerifiedKeyCache#isSubscribed()} turns false when it is lost; the client library
 *       re-subscribes when it comes back (with Lettuce, the starter caps its reconnect delay at the same interval),
 *       and the cache then drops every key it holds.</li>
 * </ul>
 *
 * The listener container is started and stopped by this lifecycle only, so its auto-startup must be off.
 */
public final class RedisInvalidationSubscription implements SmartLifecycle {

    /** Starts before the web server accepts requests and stops after it has stopped. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private static final Logger log = LoggerFactory.getLogger(RedisInvalidationSubscription.class);

    private final RedisMessageListenerContainer container;
    private final RedisBroadcastingVerifiedKeyCache cache;
    private final StringRedisTemplate redis;
    private final Duration recoveryInterval;
    private final String channel;

    private final Object monitor = new Object();
    private volatile boolean running;
    private ScheduledExecutorService scheduler;
    private ExecutorService prober;
    private Future<?> pendingPing;
    private long pendingPingStartedAt;
    private boolean outageReported;

    public RedisInvalidationSubscription(RedisMessageListenerContainer container,
                                         RedisBroadcastingVerifiedKeyCache cache, StringRedisTemplate redis,
                                         Duration recoveryInterval, String channel) {
        this.container = Objects.requireNonNull(container, "container");
        this.cache = Objects.requireNonNull(cache, "cache");
        this.redis = Objects.requireNonNull(redis, "redis");
        this.recoveryInterval = Objects.requireNonNull(recoveryInterval, "recoveryInterval");
        if (recoveryInterval.isNegative() || recoveryInterval.isZero()) {
            throw new IllegalArgumentException("api-key.cache.redis-recovery-interval must be positive, was "
                    + recoveryInterval);
        }
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    @Override
    public void start() {
        synchronized (monitor) {
            if (running) {
                return;
            }
            running = true;
            scheduler = Executors.newSingleThreadScheduledExecutor(daemon("api-key-redis-subscription"));
            prober = Executors.newSingleThreadExecutor(daemon("api-key-redis-ping"));
            if (!subscribe()) {
                outageReported = true;
                log.warn("Redis is not reachable, so API key invalidations from other instances are not received "
                        + "yet: until Redis answers, a key changed on another instance is refused here only when its "
                        + "cache entry expires (api-key.cache.ttl). Subscribing to channel {} is retried every {}.",
                        channel, recoveryInterval);
            }
            long millis = recoveryInterval.toMillis();
            scheduler.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
        }
    }

    @Override
    public void stop() {
        synchronized (monitor) {
            if (!running) {
                return;
            }
            running = false;
            scheduler.shutdownNow();
            prober.shutdownNow();
        }
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    private void check() {
        try {
            synchronized (monitor) {
                if (!running) {
                    return;
                }
                if (!container.isRunning()) {
                    if (subscribe()) {
                        outageReported = false;
                        log.info("Redis is reachable: subscribed to API key invalidations on channel {}", channel);
                    }
                    return;
                }
            }
            ping();
        } catch (RuntimeException unexpected) {
            log.debug("API key invalidation subscription check failed", unexpected);
        }
    }

    /** Starts the container; on failure leaves it stopped so that the next check starts it afresh. */
    private boolean subscribe() {
        try {
            container.start();
            return true;
        } catch (RuntimeException redisDown) {
            log.debug("Could not subscribe to API key invalidations on Redis channel {}: {}", channel,
                    redisDown.toString());
            try {
                container.stop();
            } catch (RuntimeException ignored) {
                log.trace("Could not reset the listener container", ignored);
            }
            return false;
        }
    }

    /** Pings Redis, waiting at most one interval, so that a lost connection is noticed while its command waits. */
    private void ping() {
        Future<?> ping;
        long startedAt;
        synchronized (monitor) {
            if (pendingPing == null) {
                pendingPingStartedAt = System.nanoTime();
                pendingPing = prober.submit(() -> redis.execute((RedisCallback<String>) RedisConnection::ping));
            }
            ping = pendingPing;
            startedAt = pendingPingStartedAt;
        }
        try {
            ping.get(recoveryInterval.toMillis(), TimeUnit.MILLISECONDS);
            clearPendingPing();
            if (outageReported && cache.isSubscribed()) {
                outageReported = false;
            }
        } catch (TimeoutException stillWaiting) {
            lost(startedAt, stillWaiting);
        } catch (ExecutionException failed) {
            clearPendingPing();
            lost(startedAt, failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private void clearPendingPing() {
        synchronized (monitor) {
            pendingPing = null;
        }
    }

    private void lost(long startedAt, Throwable cause) {
        cache.connectionLost(startedAt);
        if (!outageReported) {
            outageReported = true;
            log.warn("Lost the connection to Redis ({}): API key invalidations from other instances are not "
                    + "received until it is back; then every cached key is dropped here.", describe(cause));
        }
    }

    private static String describe(Throwable cause) {
        return cause instanceof TimeoutException ? "no answer to PING" : String.valueOf(cause);
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread thread = new Thread(runnable, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    @Override
    public String toString() {
        return "RedisInvalidationSubscription[channel=" + channel + ", subscribed=" + cache.isSubscribed() + "]";
    }
}
