package io.github.apikey.spring.autoconfigure;

import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * What the starter adds to Spring Boot Actuator: the pepper and the bootstrap admin key are masked in
 * {@code /actuator/env} and {@code /actuator/configprops} for everyone, whatever {@code show-values} says, in every
 * spelling of their names (property, environment variable).
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class ApiKeyActuatorAutoConfiguration {

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
