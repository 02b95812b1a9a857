package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.spring.web.ApiKeyController;
import io.github.apikey.spring.web.ApiKeyControllerAdvice;
import io.github.apikey.spring.web.ApiKeyManagementWebMvcConfigurer;
import io.github.apikey.spring.web.UnreadableRequestFilter;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * The management API ({@code api-key.web.enabled}, on by default) and, with springdoc, its description in the
 * OpenAPI document with the bearer security scheme.
 */
@AutoConfiguration(after = {ApiKeyAutoConfiguration.class, ApiKeySecurityAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(ApiKeyService.class)
@ConditionalOnBooleanProperty(name = "api-key.web.enabled", matchIfMissing = true)
public final class ApiKeyWebAutoConfiguration {

    static final String SECURITY_SCHEME = "apiKey";

    @Bean
    @ConditionalOnMissingBean
    ApiKeyController apiKeyController(ApiKeyService service) {
        return new ApiKeyController(service);
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeyControllerAdvice apiKeyControllerAdvice() {
        return new ApiKeyControllerAdvice();
    }

    /** Ahead of Spring's FormContentFilter and the security chain, so that unreadable requests become 400s. */
    @Bean
    @ConditionalOnMissingBean(name = "apiKeyUnreadableRequestFilter")
    FilterRegistrationBean<UnreadableRequestFilter> apiKeyUnreadableRequestFilter() {
        FilterRegistrationBean<UnreadableRequestFilter> registration =
                new FilterRegistrationBean<>(new UnreadableRequestFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    @Bean
    ApiKeyManagementWebMvcConfigurer apiKeyManagementWebMvcConfigurer(ApiKeyProperties properties) {
        return new ApiKeyManagementWebMvcConfigurer(properties.getAdminScope());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(OpenApiCustomizer.class)
    static class OpenApiConfiguration {

        @Bean
        OpenApiCustomizer apiKeyOpenApiCustomizer() {
            return openApi -> {
                if (openApi.getComponents() == null) {
                    openApi.setComponents(new Components());
                }
                openApi.getComponents().addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("API key")
                        .description("An API key in the Authorization header: 'Bearer ak_v1-<keyId>-<secret>'"));
                openApi.addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME));
            };
        }
    }
}
