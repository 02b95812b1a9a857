package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.spring.cache.RedisBroadcastingVerifiedKeyCache;
import io.github.apikey.spring.cache.RedisInvalidationSubscription;

import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.ClientResourcesBuilderCustomizer;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;
import org.springframework.util.backoff.FixedBackOff;

/**
 * With {@code api-key.cache.invalidation=redis}: every change to a key is published on Redis, and every instance
 * evicts it from its cache, so that a revoked key is refused everywhere at once. Redis down at start-up does not
 * stop the application; after an outage, each instance drops its whole cache when it subscribes again, within about
 * {@code api-key.cache.redis-recovery-interval} of Redis returning.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class, before = ApiKeyAutoConfiguration.class)
@ConditionalOnClass({RedisConnectionFactory.class, RedisMessageListenerContainer.class})
@ConditionalOnBean(RedisConnectionFactory.class)
@ConditionalOnProperty(name = "api-key.cache.invalidation", havingValue = "redis")
@EnableConfigurationProperties(ApiKeyProperties.class)
public final class ApiKeyRedisInvalidationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(VerifiedKeyCache.class)
    RedisBroadcastingVerifiedKeyCache apiKeyVerifiedKeyCache(RedisConnectionFactory connectionFactory,
                                                             ApiKeyProperties properties) {
        ApiKeyProperties.Cache cache = properties.getCache();
        VerifiedKeyCache local = cache.isEnabled()
                ? new CaffeineVerifiedKeyCache(cache.getTtl(), cache.getMaximumSize()) : VerifiedKeyCache.NONE;
        return new RedisBroadcastingVerifiedKeyCache(local, new StringRedisTemplate(connectionFactory),
                cache.getRedisChannel());
    }

    /** Started by {@link #apiKeyInvalidationSubscription}, so that Redis down at start-up is not fatal. */
    @Bean
    @ConditionalOnBean(RedisBroadcastingVerifiedKeyCache.class)
    RedisMessageListenerContainer apiKeyInvalidationListenerContainer(RedisConnectionFactory connectionFactory,
                                                                      RedisBroadcastingVerifiedKeyCache cache,
                                                                      ApiKeyProperties properties) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        container.setAutoStartup(false);
        // Stopped by the subscription first, so that it cannot start the container again while the context stops.
        container.setPhase(RedisInvalidationSubscription.PHASE - 1);
        container.setRecoveryBackoff(new FixedBackOff(properties.getCache().getRedisRecoveryInterval().toMillis(),
                FixedBackOff.UNLIMITED_ATTEMPTS));
        container.addMessageListener(cache, new ChannelTopic(properties.getCache().getRedisChannel()));
        return container;
    }

    @Bean
    @ConditionalOnBean(RedisBroadcastingVerifiedKeyCache.class)
    RedisInvalidationSubscription apiKeyInvalidationSubscription(RedisConnectionFactory connectionFactory,
                                                                 RedisBroadcastingVerifiedKeyCache cache,
                                                                 RedisMessageListenerContainer
                                                                         apiKeyInvalidationListenerContainer,
                                                                 ApiKeyProperties properties) {
        return new RedisInvalidationSubscription(apiKeyInvalidationListenerContainer, cache,
                new StringRedisTemplate(connectionFactory), properties.getCache().getRedisRecoveryInterval(),
                properties.getCache().getRedisChannel());
    }

    /**
     * Lettuce re-subscribes by itself after a lost connection, but waits up to 30 s between attempts by default;
     * capping its delay at the recovery interval bounds how long an instance misses invalidations once Redis is
     * back. Applies to the application's whole Lettuce client, unless it defines its own {@link ClientResources}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ClientResources.class, ClientResourcesBuilderCustomizer.class})
    static final class LettuceReconnectConfiguration {

        @Bean
        ClientResourcesBuilderCustomizer apiKeyLettuceReconnectDelayCustomizer(ApiKeyProperties properties) {
            Duration cap = properties.getCache().getRedisRecoveryInterval();
            return builder -> builder.reconnectDelay(
                    Delay.exponential(Duration.ZERO, cap, 2, TimeUnit.MILLISECONDS));
        }
    }
}
