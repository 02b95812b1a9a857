package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.spring.web.ApiKeyController;
import io.github.apikey.spring.web.ApiKeyControllerAdvice;
import io.github.apikey.spring.openapi.ApiKeyOpenApiCustomizer;
import io.github.apikey.spring.openapi.PermittedRoutes;
import io.github.apikey.spring.openapi.SecurityChainPermittedRoutes;
import io.github.apikey.spring.security.ApiKeyPrincipal;
import io.github.apikey.spring.security.ApiKeySecuritySettings;
import io.github.apikey.spring.web.ApiKeyManagementWebMvcConfigurer;
import io.github.apikey.spring.web.StrictRequestBodiesModule;
import io.github.apikey.spring.web.UnreadableRequestFilter;

import java.time.Clock;

import org.springdoc.core.customizers.GlobalOpenApiCustomizer;
import org.springdoc.core.utils.SpringDocUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.web.servlet.DispatcherServlet;

import tools.jackson.databind.JacksonModule;

/**
 * The management API ({@code api-key.web.enabled}, on by default), its strict request bodies and, with springdoc, its
 * exact description in the OpenAPI document with the bearer security scheme ({@link ApiKeyOpenApiCustomizer}).
 */
@AutoConfiguration(after = {ApiKeyAutoConfiguration.class, ApiKeySecurityAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(DispatcherServlet.class)
@ConditionalOnBean(ApiKeyService.class)
@ConditionalOnBooleanProperty(name = "api-key.web.enabled", matchIfMissing = true)
public final class ApiKeyWebAutoConfiguration {

    static final String SECURITY_SCHEME = ApiKeyOpenApiCustomizer.SECURITY_SCHEME;

    @Bean
    @ConditionalOnMissingBean
    ApiKeyController apiKeyController(ApiKeyService service) {
        return new ApiKeyController(service);
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeyControllerAdvice apiKeyControllerAdvice(ObjectProvider<ApiKeySecuritySettings> settings,
                                                  ObjectProvider<Clock> clock) {
        return new ApiKeyControllerAdvice(settings.getIfAvailable(() -> ApiKeySecuritySettings.DEFAULTS),
                clock.getIfUnique(Clock::systemUTC));
    }

    /** Spring Boot registers module beans in the application's JSON mapper. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(JacksonModule.class)
    static class StrictRequestBodiesConfiguration {

        @Bean
        @ConditionalOnMissingBean
        StrictRequestBodiesModule apiKeyStrictRequestBodiesModule() {
            return new StrictRequestBodiesModule();
        }
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
    @ConditionalOnClass(GlobalOpenApiCustomizer.class)
    static class OpenApiConfiguration {

        OpenApiConfiguration() {
            // A controller parameter of this type is the authenticated key, resolved by the starter; without this,
            // springdoc would document it as a required query parameter.
            SpringDocUtils.getConfig().addRequestWrapperToIgnore(ApiKeyPrincipal.class);
        }

        @Bean
        @ConditionalOnMissingBean
        ApiKeyOpenApiCustomizer apiKeyOpenApiCustomizer(ApiKeyProperties properties,
                                                        ObjectProvider<PermittedRoutes> permittedRoutes,
                                                        ApplicationContext context) {
            return new ApiKeyOpenApiCustomizer(properties.getWeb().getBasePath(), properties.getAdminScope(),
                    ApiKeyController.MAX_LIMIT, permittedRoutes.getIfAvailable(() -> chainPermittedRoutes(context)));
        }

        /** The security chains are asked when the document is built, long after this bean is created. */
        private static PermittedRoutes chainPermittedRoutes(ApplicationContext context) {
            return new SecurityChainPermittedRoutes(() -> context.getBeanProvider(WebInvocationPrivilegeEvaluator.class)
                    .getIfUnique());
        }
    }
}
