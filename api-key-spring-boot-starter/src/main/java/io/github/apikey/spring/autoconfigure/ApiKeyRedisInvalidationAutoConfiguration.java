package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.cache.CaffeineVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.spring.cache.RedisBroadcastingVerifiedKeyCache;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * With {@code api-key.cache.invalidation=redis}: every change to a key is published on Redis, and every instance
 * evicts it from its cache, so that a revoked key is refused everywhere at once.
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

    @Bean
    @ConditionalOnBean(RedisBroadcastingVerifiedKeyCache.class)
    RedisMessageListenerContainer apiKeyInvalidationListenerContainer(RedisConnectionFactory connectionFactory,
                                                                      RedisBroadcastingVerifiedKeyCache cache,
                                                                      ApiKeyProperties properties) {
        RedisMessageListenerContainer container = new RedisMessageListenerContainer();
        container.setConnectionFactory(connectionFactory);
        container.addMessageListener((message, pattern) -> cache.onMessage(
                new String(message.getBody(), java.nio.charset.StandardCharsets.UTF_8)),
                new ChannelTopic(properties.getCache().getRedisChannel()));
        return container;
    }
}
