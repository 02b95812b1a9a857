package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.health.ApiKeyHealthIndicator;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * What the starter adds to Spring Boot Actuator: the pepper and the bootstrap admin key are masked in
 * {@code /actuator/env} and {@code /actuator/configprops} for everyone, whatever {@code show-values} says, in every
 * spelling of their names (property, environment variable); and the {@code apiKeys} health contribution.
 */
@AutoConfiguration(after = {ApiKeyAutoConfiguration.class, ApiKeyRedisInvalidationAutoConfiguration.class})
@ConditionalOnClass(SanitizingFunction.class)
public final class ApiKeyActuatorAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(AbstractHealthIndicator.class)
    @ConditionalOnBean({ApiKeyStore.class, VerifiedKeyCache.class})
    @ConditionalOnEnabledHealthIndicator("apiKeys")
    static class HealthConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "apiKeysHealthIndicator")
        ApiKeyHealthIndicator apiKeysHealthIndicator(ApiKeyStore store, VerifiedKeyCache cache) {
            return new ApiKeyHealthIndicator(store, cache);
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
