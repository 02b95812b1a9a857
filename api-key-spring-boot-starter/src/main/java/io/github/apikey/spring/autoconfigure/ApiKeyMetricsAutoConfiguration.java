package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.metrics.ApiKeyMeters;
import io.github.apikey.spring.metrics.ApiKeyVerificationObservationConvention;
import io.github.apikey.spring.metrics.DefaultApiKeyVerificationObservationConvention;
import io.github.apikey.spring.metrics.MicrometerVerificationObserver;
import io.github.apikey.spring.metrics.ObservationVerificationObserver;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Micrometer for API keys, when it is on the class path and the application has a registry: the timer
 * {@code apikey.verifications} of every verification, the state of the cache, the hash limiter and the last-used
 * recorder ({@link ApiKeyMeters}), and an observation {@code apikey.verification} around each verification, which a
 * tracing bridge reports as a span. The service takes every {@code VerificationObserver} bean; the meters and the
 * observation are turned off with {@code api-key.metrics.enabled=false} and {@code api-key.observations.enabled=false}.
 */
@AutoConfiguration(after = ApiKeyAutoConfiguration.class, afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration",
        "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration"})
public final class ApiKeyMetricsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnBean(MeterRegistry.class)
    @ConditionalOnBooleanProperty(name = "api-key.metrics.enabled", matchIfMissing = true)
    static class MetricsConfiguration {

        @Bean
        @ConditionalOnMissingBean
        MicrometerVerificationObserver apiKeyMicrometerVerificationObserver(MeterRegistry registry,
                                                                            ApiKeyProperties properties) {
            return new MicrometerVerificationObserver(registry, properties.getMetrics().isKeyIdTag());
        }

        /** Looks its parts up when scraped: binding calls nothing on them. */
        @Bean
        @ConditionalOnMissingBean
        ApiKeyMeters apiKeyMeters(ObjectProvider<VerifiedKeyCache> cache, ObjectProvider<ApiKeyService> service,
                                  ObjectProvider<UsageRecorder> usageRecorder) {
            return new ApiKeyMeters(cache::getIfUnique, service::getIfUnique, usageRecorder::getIfUnique);
        }

        /**
         * The observation's timer, which Spring Boot's meter handler would derive as from any observation, measures
         * what {@code apikey.verifications} measures already: one series of each is enough.
         */
        @Bean
        @ConditionalOnClass(ObservationRegistry.class)
        MeterFilter apiKeyObservationMeterFilter() {
            String name = DefaultApiKeyVerificationObservationConvention.NAME;
            return MeterFilter.deny(id -> id.getName().equals(name) || id.getName().equals(name + ".active"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(ObservationRegistry.class)
    @ConditionalOnBean(ObservationRegistry.class)
    @ConditionalOnBooleanProperty(name = "api-key.observations.enabled", matchIfMissing = true)
    static class ObservationConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ObservationVerificationObserver apiKeyObservationVerificationObserver(
                ObservationRegistry registry, ObjectProvider<ApiKeyVerificationObservationConvention> convention) {
            return new ObservationVerificationObserver(registry, convention.getIfUnique());
        }
    }
}
