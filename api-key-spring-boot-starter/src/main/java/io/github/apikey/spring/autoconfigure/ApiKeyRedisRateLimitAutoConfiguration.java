package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.ratelimit.Bucket4jRateLimiter;
import io.github.apikey.core.ratelimit.RateLimiter;
import io.github.apikey.spring.ratelimit.FailoverRateLimiter;
import io.github.apikey.spring.ratelimit.RedisRateLimitStore;

import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;

import java.time.Duration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * With {@code api-key.rate-limit.store=redis}: every instance shares one budget per key on Redis, through Bucket4j
 * on a dedicated connection of Spring Data Redis's Lettuce client. While Redis cannot be reached, requests of limited
 * keys follow {@code api-key.rate-limit.on-store-failure}; Redis down at start-up does not stop the application.
 */
@AutoConfiguration(after = DataRedisAutoConfiguration.class, before = ApiKeyAutoConfiguration.class)
@ConditionalOnClass({LettuceConnectionFactory.class, Bucket4jLettuce.class})
@ConditionalOnBean(LettuceConnectionFactory.class)
@ConditionalOnProperty(name = "api-key.rate-limit.store", havingValue = "redis")
@EnableConfigurationProperties(ApiKeyProperties.class)
public final class ApiKeyRedisRateLimitAutoConfiguration {

    /** How often a lost connection is replaced, or a failing Redis probed: recovery within about this long. */
    static final Duration RECOVERY_INTERVAL = Duration.ofSeconds(1);

    @Bean
    @ConditionalOnMissingBean
    RedisRateLimitStore apiKeyRedisRateLimitStore(LettuceConnectionFactory connectionFactory,
                                                  ApiKeyProperties properties) {
        ApiKeyProperties.RateLimits rateLimit = properties.getRateLimit();
        return new RedisRateLimitStore(connectionFactory::getRequiredNativeClient, rateLimit.getRedisKeyPrefix(),
                rateLimit.getRedisTimeout(), RECOVERY_INTERVAL);
    }

    @Bean
    @ConditionalOnMissingBean(RateLimiter.class)
    FailoverRateLimiter apiKeyRedisRateLimiter(RedisRateLimitStore store, ApiKeyProperties properties) {
        return new FailoverRateLimiter(store, new Bucket4jRateLimiter(),
                FailoverRateLimiter.OnFailure.valueOf(properties.getRateLimit().getOnStoreFailure().name()));
    }
}
