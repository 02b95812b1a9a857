package io.github.apikey.test;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.spring.autoconfigure.ApiKeyAutoConfiguration;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Gives tests a {@link TestApiKeys} around the application's {@link ApiKeyService}. The module is a test-scoped
 * dependency, so this never reaches a production application; it is registered for full applications
 * ({@code @SpringBootTest}) and for MockMvc slices ({@code @WebMvcTest}).
 */
@AutoConfiguration(after = ApiKeyAutoConfiguration.class)
@ConditionalOnBean(ApiKeyService.class)
public final class ApiKeyTestAutoConfiguration {

    /** A helper creating real keys through the application's service. */
    @Bean
    @ConditionalOnMissingBean
    TestApiKeys testApiKeys(ApiKeyService apiKeyService) {
        return new TestApiKeys(apiKeyService);
    }
}
