package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.ratelimit.RateLimiter;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.audit.ApiKeyAuditEventRecorder;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.actuator.ApiKeysEndpoint;
import io.github.apikey.spring.health.ApiKeyHealthIndicator;
import io.github.apikey.spring.ratelimit.FailoverRateLimiter;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import java.time.Clock;
import java.util.Locale;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the starter adds to Spring Boot Actuator: the read-only endpoint {@code apikeys}; the pepper and the bootstrap admin key are masked in
 * {@code /actuator/env} and {@code /actuator/configprops} for everyone, whatever {@code show-values} says, in every
 * spelling of their names (property, environment variable); the {@code apiKeys} health contribution; and, with
 * rate limits on Redis and Micrometer, two meters: {@code apikey.ratelimit.store.failures} (requests of limited keys
 * that could not be decided on Redis) and {@code apikey.ratelimit.store.fallback} (1 while requests are decided as
 * {@code api-key.rate-limit.on-store-failure} says, else 0).
 */
@AutoConfiguration(after = {ApiKeyAutoConfiguration.class, ApiKeyRedisInvalidationAutoConfiguration.class,
        ApiKeyRedisRateLimitAutoConfiguration.class})
@ConditionalOnClass(SanitizingFunction.class)
public final class ApiKeyActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnBean({ApiKeyStore.class, VerifiedKeyCache.class})
    @ConditionalOnEnabledHealthIndicator("apiKeys")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "apiKeysHealthIndicator")
        ApiKeyHealthIndicator apiKeysHealthIndicator(ApiKeyStore store, VerifiedKeyCache cache,
                                                     ObjectProvider<RateLimiter> rateLimiter) {
            return new ApiKeyHealthIndicator(store, cache, rateLimiter.getIfUnique());
        }
    }

    /** Audit events of management operations, in the application's AuditEventRepository when it has one. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AuditEventRepository.class)
    @ConditionalOnBean(AuditEventRepository.class)
    static class AuditEventConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ApiKeyAuditEventRecorder apiKeyAuditEventRecorder(AuditEventRepository repository) {
            return new ApiKeyAuditEventRecorder(repository);
        }
    }

    /** The read-only {@code apikeys} endpoint: key counts by state, cache, hasher, rate limits, last-used writes. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Endpoint.class)
    @ConditionalOnBean(ApiKeyStore.class)
    @ConditionalOnAvailableEndpoint(ApiKeysEndpoint.class)
    static class EndpointConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ApiKeysEndpoint apiKeysEndpoint(ApiKeyStore store, ObjectProvider<ApiKeyService> service,
                                        ObjectProvider<VerifiedKeyCache> cache, ObjectProvider<RateLimiter> rateLimiter,
                                        ObjectProvider<UsageRecorder> usageRecorder, ObjectProvider<Clock> clock) {
            return new ApiKeysEndpoint(store, service.getIfUnique(), cache.getIfUnique(), rateLimiter.getIfUnique(),
                    usageRecorder.getIfUnique(), clock.getIfUnique());
        }
    }

    /** Bound to every registry by Spring Boot; read when scraped, so the limiter does not depend on Micrometer. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterBinder.class)
    @ConditionalOnBean(FailoverRateLimiter.class)
    static class RateLimitMetricsConfiguration {

        @Bean
        MeterBinder apiKeyRateLimitStoreMetrics(FailoverRateLimiter rateLimiter) {
            return registry -> {
                FunctionCounter.builder("apikey.ratelimit.store.failures", rateLimiter,
                                FailoverRateLimiter::getStoreFailures)
                        .description("Requests of rate-limited API keys that could not be decided on the shared store")
                        .register(registry);
                Gauge.builder("apikey.ratelimit.store.fallback", rateLimiter,
                                limiter -> limiter.isFallbackActive() ? 1 : 0)
                        .description("1 while the shared rate-limit store cannot be reached and requests are decided "
                                + "as api-key.rate-limit.on-store-failure says, else 0")
                        .register(registry);
            };
        }
    }

    /** Secret property names with everything but letters and digits removed, in lower case. */
    private static final Set<String> SECRET_PROPERTIES = Set.of("apikeypepper", "apikeybootstrapadminkey");

    @Bean
    SanitizingFunction apiKeySecretsSanitizingFunction() {
        return SanitizingFunction.sanitizeValue().ifKeyMatches(ApiKeyActuatorAutoConfiguration::isSecretProperty);
    }

    static boolean isSecretProperty(String key) {
        return key != null && SECRET_PROPERTIES.contains(key.replaceAll("[^A-Za-z0-9]", "").toLowerCase(Locale.ROOT));
    }
}
