package io.github.apikey.spring.ratelimit;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.ratelimit.Bucket4jRateLimiter;
import io.github.apikey.core.ratelimit.RateLimitDecision;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.VerboseResult;
import io.github.bucket4j.distributed.BucketProxy;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.codec.ByteArrayCodec;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Rate-limit budgets on Redis, shared by every instance: Bucket4j's compare-and-swap buckets over one dedicated
 * Lettuce connection (byte-array codec) of the application's own Redis client, so that connection settings, TLS and
 * credentials are Spring Data Redis's.
 *
 * <p>Each bucket is the Redis key {@code <prefix><key uuid>:<limits>}, for example
 * {@code api-key:rate-limit:3f1c...:requests=100/PT1M}: the limits are part of the key, so a key whose limits change
 * starts a new budget, and the old bucket expires. Buckets expire once their budget would be restored in full anyway
 * (Bucket4j's {@code basedOnTimeForRefillingBucketUpToMax}), so Redis keeps only buckets in use.
 *
 * <p>Built never to stall a request on Redis: a request waits at most {@code timeout}; while the connection is down,
 * or after a command failed until Redis answers a {@code PING} again, requests are refused at once with
 * {@link ApiKeyStoreException} (the caller decides what that means). A background task connects (also when Redis
 * was down at start-up, which does not stop the application), replaces a lost connection every
 * {@code recoveryInterval} until Redis answers, and probes Redis after a failure. Nothing is logged here above
 * DEBUG: {@link FailoverRateLimiter} reports outages once each.
 */
public final class RedisRateLimitStore implements SmartLifecycle {

    /** Starts before the web server accepts requests and stops after it has stopped. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** A full bucket is as good as none: kept a little longer only so that rounding never drops a live one. */
    private static final Duration KEEP_AFTER_FULL = Duration.ofSeconds(1);

    private static final Logger log = LoggerFactory.getLogger(RedisRateLimitStore.class);

    private final Supplier<AbstractRedisClient> client;
    private final String keyPrefix;
    private final Duration timeout;
    private final Duration recoveryInterval;

    private final Object monitor = new Object();
    private volatile Connected connected;
    /** A command failed on an open connection (Redis hung, say): fail fast until a PING succeeds. */
    private volatile boolean suspect;
    private volatile boolean running;
    private ScheduledExecutorService supervisor;

    /**
     * @param client           the application's Lettuce client, asked for when connecting (it may not be started
     *                         yet when this store is made), such as
     *                         {@code LettuceConnectionFactory::getRequiredNativeClient}
     * @param keyPrefix        prefix of every bucket's Redis key
     * @param timeout          longest wait for Redis on a request
     * @param recoveryInterval how often a lost connection is replaced, or a failing Redis probed
     */
    public RedisRateLimitStore(Supplier<AbstractRedisClient> client, String keyPrefix, Duration timeout,
                               Duration recoveryInterval) {
        this.client = Objects.requireNonNull(client, "client");
        this.keyPrefix = Objects.requireNonNull(keyPrefix, "keyPrefix");
        this.timeout = requirePositive(timeout, "timeout");
        this.recoveryInterval = requirePositive(recoveryInterval, "recoveryInterval");
    }

    private static Duration requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + duration);
        }
        return duration;
    }

    /**
     * Takes one request from the key's shared budget under every one of {@code limits}, or none if any is spent.
     *
     * @throws ApiKeyStoreException if Redis cannot be reached or does not answer within the timeout
     */
    public RateLimitDecision tryConsume(UUID keyId, List<RateLimit> limits) {
        Connected current = connected;
        if (current == null || !current.connection.isOpen()) {
            throw new ApiKeyStoreException("no connection to Redis", null);
        }
        if (suspect) {
            throw new ApiKeyStoreException("Redis has not answered since a command failed", null);
        }
        try {
            BucketProxy bucket = current.buckets.builder().build(bucketKey(keyId, limits),
                    () -> configuration(limits));
            if (limits.size() == 1) {
                return Bucket4jRateLimiter.decision(limits, 0, bucket.tryConsumeAndReturnRemaining(1), null);
            }
            VerboseResult<ConsumptionProbe> result = bucket.asVerbose().tryConsumeAndReturnRemaining(1);
            return Bucket4jRateLimiter.decision(limits, -1, result.getValue(),
                    result.getDiagnostics().getAvailableTokensPerEachBandwidth());
        } catch (RuntimeException failed) {
            // Bucket4j's own timeout, Lettuce's exceptions: either way this request cannot be decided on Redis.
            suspect = true;
            throw new ApiKeyStoreException("Redis did not answer: " + failed, failed);
        }
    }

    private static BucketConfiguration configuration(List<RateLimit> limits) {
        return Bucket4jRateLimiter.configuration(limits);
    }

    /** {@code <prefix><key uuid>:<name>=<limit>/<ISO duration>,...}: readable in {@code redis-cli --scan}. */
    byte[] bucketKey(UUID keyId, List<RateLimit> limits) {
        String text = keyPrefix + keyId + ":"
                + limits.stream().map(RateLimit::toString).collect(Collectors.joining(","));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Whether requests are decided on Redis right now: connected, and no command failed since it last answered. */
    public boolean isAvailable() {
        Connected current = connected;
        return current != null && !suspect && current.connection.isOpen();
    }

    @Override
    public void start() {
        Future<?> firstAttempt;
        synchronized (monitor) {
            if (running) {
                return;
            }
            running = true;
            supervisor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "api-key-rate-limit-redis");
                thread.setDaemon(true);
                return thread;
            });
            firstAttempt = supervisor.submit(this::check);
            long millis = recoveryInterval.toMillis();
            supervisor.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
        }
        // Usually connected before the first request; a Redis that does not answer delays start-up by 2 s at most.
        try {
            firstAttempt.get(2, TimeUnit.SECONDS);
        } catch (TimeoutException | ExecutionException notYet) {
            log.debug("Redis rate-limit store not connected at start-up: {}", notYet.toString());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void stop() {
        synchronized (monitor) {
            if (!running) {
                return;
            }
            running = false;
            supervisor.shutdownNow();
            Connected current = connected;
            connected = null;
            if (current != null) {
                current.connection.closeAsync();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Connects, replaces a lost connection, or probes Redis after a failure; runs on the supervisor thread only. */
    private void check() {
        try {
            Connected current = connected;
            if (current == null || !current.connection.isOpen()) {
                // Lettuce would reconnect by itself, but after up to 30 s; a fresh connection is tried every interval.
                if (current != null) {
                    current.connection.closeAsync();
                }
                Connected fresh = connect();
                synchronized (monitor) {
                    if (!running) {
                        fresh.connection.closeAsync();
                        return;
                    }
                    connected = fresh;
                    suspect = false;
                }
                log.debug("Connected to Redis for rate limits");
            } else if (suspect) {
                current.ping.get().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                suspect = false;
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        } catch (Exception stillDown) {
            log.debug("Redis for rate limits not reachable yet: {}", stillDown.toString());
        }
    }

    private Connected connect() {
        AbstractRedisClient redis = client.get();
        ExpirationAfterWriteStrategy expiry =
                ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(KEEP_AFTER_FULL);
        if (redis instanceof RedisClusterClient cluster) {
            StatefulRedisClusterConnection<byte[], byte[]> connection = cluster.connect(ByteArrayCodec.INSTANCE);
            connection.setTimeout(timeout);
            ProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(connection).expirationAfterWrite(expiry)
                    .requestTimeout(timeout).build();
            return new Connected(connection, buckets, () -> connection.async().ping());
        }
        if (redis instanceof RedisClient standalone) {
            StatefulRedisConnection<byte[], byte[]> connection = standalone.connect(ByteArrayCodec.INSTANCE);
            connection.setTimeout(timeout);
            ProxyManager<byte[]> buckets = Bucket4jLettuce.casBasedBuilder(connection).expirationAfterWrite(expiry)
                    .requestTimeout(timeout).build();
            return new Connected(connection, buckets, () -> connection.async().ping());
        }
        throw new IllegalStateException("Unsupported Lettuce client " + redis.getClass().getName());
    }

    @Override
    public String toString() {
        return "RedisRateLimitStore[keyPrefix=" + keyPrefix + ", timeout=" + timeout + ", available="
                + isAvailable() + "]";
    }

    private record Connected(StatefulConnection<byte[], byte[]> connection, ProxyManager<byte[]> buckets,
                             Supplier<RedisFuture<String>> ping) {
    }
}
