package io.github.apikey.spring.cache;

import io.github.apikey.core.cache.ForwardingVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * This instance's cache, whose invalidations are also published on a Redis channel; {@link #onMessage} applies
 * those of every instance. If Redis is down, the change still applies here and verification goes on from local
 * state; other instances fall back to the cache's time-to-live until Redis is back.
 *
 * <p>Redis does not keep messages for a subscriber that is away: whatever was published while this instance was cut
 * off is lost. So each time the subscription is established, first or again, every cached key is dropped
 * ({@link #onChannelSubscribed}); the next use of each key reads the store.
 *
 * <p>Messages are published in order on a thread of their own, so that a change never waits for Redis: while Redis is
 * away, a client waits up to its command timeout (a minute by default) for each command. Close it to stop that
 * thread.
 */
public final class RedisBroadcastingVerifiedKeyCache extends ForwardingVerifiedKeyCache implements MessageListener,
        SubscriptionListener, AutoCloseable {

    /** Invalidations waiting to be published; beyond this many, during a long outage, the newest are dropped. */
    private static final int MAX_PENDING_PUBLICATIONS = 10_000;

    static final String ALL = "*";

    private static final Logger log = LoggerFactory.getLogger(RedisBroadcastingVerifiedKeyCache.class);

    private final StringRedisTemplate redis;
    private final String channel;
    private final byte[] channelBytes;
    private final ThreadPoolExecutor publisher;

    // System.nanoTime() of the latest subscription and of the start of the latest operation that found Redis down.
    private final AtomicLong subscribedAt;
    private final AtomicLong lostAt;
    private volatile boolean everSubscribed;
    private final LongAdder received = new LongAdder();

    public RedisBroadcastingVerifiedKeyCache(VerifiedKeyCache local, StringRedisTemplate redis, String channel) {
        super(local);
        this.redis = Objects.requireNonNull(redis, "redis");
        this.channel = Objects.requireNonNull(channel, "channel");
        this.channelBytes = channel.getBytes(StandardCharsets.UTF_8);
        long now = System.nanoTime();
        this.subscribedAt = new AtomicLong(now);
        this.lostAt = new AtomicLong(now);
        this.publisher = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                new LinkedBlockingQueue<>(MAX_PENDING_PUBLICATIONS), task -> {
                    Thread thread = new Thread(task, "api-key-invalidation-publisher");
                    thread.setDaemon(true);
                    return thread;
                }, (dropped, executor) -> log.debug("Dropped an API key invalidation: {} are waiting for Redis",
                        MAX_PENDING_PUBLICATIONS));
    }

    @Override
    public void invalidate(UUID id) {
        super.invalidate(id);
        publish(id.toString());
    }

    @Override
    public void invalidateAll() {
        super.invalidateAll();
        publish(ALL);
    }

    /**
     * Whether this instance is subscribed to the invalidation channel: the subscription was established and no
     * failure to reach Redis has been seen since. While false, changes made on other instances reach this one only
     * when its cache entries expire.
     */
    public boolean isSubscribed() {
        return everSubscribed && subscribedAt.get() - lostAt.get() > 0;
    }

    @Override
    public void onMessage(Message message, byte @Nullable [] pattern) {
        onMessage(new String(message.getBody(), StandardCharsets.UTF_8));
    }

    /** Applies an invalidation published by any instance, this one included. */
    public void onMessage(String message) {
        received.increment();
        if (ALL.equals(message)) {
            delegate().invalidateAll();
            return;
        }
        try {
            delegate().invalidate(UUID.fromString(message));
        } catch (IllegalArgumentException notAKeyId) {
            log.warn("Ignoring a malformed API key invalidation on channel {}", channel);
        }
    }

    /** Invalidations received on the channel so far, those this instance published included. */
    public long receivedInvalidations() {
        return received.sum();
    }

    /**
     * The subscription is established, at start-up or after Redis came back: invalidations published meanwhile
     * were missed, so nothing cached before now is trusted.
     */
    @Override
    public void onChannelSubscribed(byte[] subscribedChannel, long count) {
        if (!Arrays.equals(channelBytes, subscribedChannel)) {
            return;
        }
        delegate().invalidateAll();
        boolean again = everSubscribed;
        subscribedAt.set(System.nanoTime());
        everSubscribed = true;
        if (again) {
            log.info("Subscribed again to API key invalidations on Redis channel {}; dropped every cached key, "
                    + "since changes made meanwhile on other instances were not received", channel);
        } else {
            log.debug("Subscribed to API key invalidations on Redis channel {}", channel);
        }
    }

    @Override
    public void onChannelUnsubscribed(byte[] unsubscribedChannel, long count) {
        if (Arrays.equals(channelBytes, unsubscribedChannel)) {
            connectionLost(System.nanoTime());
        }
    }

    /**
     * Records that Redis could not be reached by an operation that started at {@code startedAt}
     * ({@link System#nanoTime()}): the subscription counts as lost until it is established again.
     *
     * @return whether it counted as subscribed until now
     */
    boolean connectionLost(long startedAt) {
        boolean wasSubscribed = isSubscribed();
        lostAt.accumulateAndGet(startedAt, (current, candidate) -> candidate - current > 0 ? candidate : current);
        return wasSubscribed;
    }

    private void publish(String message) {
        if (!publisher.isShutdown()) {
            publisher.execute(() -> send(message));
        }
    }

    private void send(String message) {
        long startedAt = System.nanoTime();
        try {
            redis.convertAndSend(channel, message);
        } catch (RuntimeException redisDown) {
            if (connectionLost(startedAt)) {
                log.warn("Could not publish an API key invalidation on Redis channel {}; other instances apply "
                        + "changes when their cache entry expires or when Redis is back: {}", channel,
                        redisDown.toString());
            } else {
                log.debug("Could not publish an API key invalidation on Redis channel {}: {}", channel,
                        redisDown.toString());
            }
        }
    }

    /** Stops publishing; invalidations not yet published are dropped, as they would be by a stopped instance. */
    @Override
    public void close() {
        publisher.shutdownNow();
    }

    @Override
    public String toString() {
        return "RedisBroadcastingVerifiedKeyCache[" + delegate() + ", channel=" + channel + ", subscribed="
                + isSubscribed() + "]";
    }
}
