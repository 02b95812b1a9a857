package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.spring.security.ApiKeyAuthenticationToken;
import io.github.apikey.spring.security.ApiKeyBearerTokenResolver;
import io.github.apikey.spring.security.ApiKeyPrincipalArgumentResolver;
import io.github.apikey.spring.security.ApiKeyProtected;
import io.github.apikey.spring.security.ApiKeyProtectedAuthorizationManager;
import io.github.apikey.spring.security.ApiKeySecuritySettings;
import io.github.apikey.spring.security.ServiceKeyFormat;

import java.util.List;

import org.springframework.aop.Advisor;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.support.ComposablePointcut;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ConditionalOnDefaultWebSecurity;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.context.annotation.Role;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.security.authorization.method.AuthorizationInterceptorsOrder;
import org.springframework.security.authorization.method.AuthorizationManagerBeforeMethodInterceptor;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;
import org.springframework.util.ClassUtils;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import static io.github.apikey.spring.security.ApiKeyConfigurer.apiKeys;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * Spring Security integration: {@link ApiKeyProtected} enforcement, {@code ApiKeyPrincipal} controller
 * parameters, the settings every {@code apiKeys()} starts from, a {@code BearerTokenResolver} that lets keys live
 * beside an OAuth2 resource server and, when the application declares no {@code SecurityFilterChain}, a default
 * chain that requires a valid key everywhere, the admin scope on the management API and on Actuator, and nothing on
 * Actuator's health, so that probes keep working.
 */
@AutoConfiguration(after = ApiKeyAutoConfiguration.class, before = {ManagementWebSecurityAutoConfiguration.class,
        SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class,
        UserDetailsServiceAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class})
@ConditionalOnBean(ApiKeyService.class)
@Import(ApiKeySecurityAutoConfiguration.AutoProxyRegistrar.class)
public final class ApiKeySecurityAutoConfiguration {

    private static final String ACTUATOR_WEB_ENDPOINTS =
            "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration";

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static Advisor apiKeyProtectedAuthorizationAdvisor() {
        ComposablePointcut annotated = new ComposablePointcut(new AnnotationMatchingPointcut(ApiKeyProtected.class, true))
                .union(new AnnotationMatchingPointcut(null, ApiKeyProtected.class, true));
        AuthorizationManagerBeforeMethodInterceptor interceptor = new AuthorizationManagerBeforeMethodInterceptor(
                annotated, new ApiKeyProtectedAuthorizationManager());
        interceptor.setOrder(AuthorizationInterceptorsOrder.PRE_AUTHORIZE.getOrder() - 1);
        return interceptor;
    }

    @Bean
    @ConditionalOnMissingBean
    ApiKeySecuritySettings apiKeySecuritySettings(ApiKeyProperties properties) {
        return new ApiKeySecuritySettings(properties.getSecurity().getHeaderName(),
                properties.getSecurity().getRealm(), properties.getExpiryWarning());
    }

    /**
     * Spring Security's resource server takes an application's {@code BearerTokenResolver} or
     * {@code AuthenticationConverter} bean as its own; without either, this one makes it leave keys to API key
     * authentication. An application's own resolver is kept, and can be wrapped in {@link ApiKeyBearerTokenResolver}.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(BearerTokenResolver.class)
    static class BearerTokenResolverConfiguration {

        @Bean
        @ConditionalOnMissingBean({BearerTokenResolver.class, AuthenticationConverter.class})
        ApiKeyBearerTokenResolver apiKeyBearerTokenResolver(ObjectProvider<ApiKeyService> service,
                                                            ObjectProvider<ApiKeyFormat> format) {
            return new ApiKeyBearerTokenResolver(new DefaultBearerTokenResolver(),
                    new ServiceKeyFormat(service::getIfUnique, format::getIfUnique));
        }
    }

    /** Applies only while the application declares no SecurityFilterChain of its own. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnDefaultWebSecurity
    static class DefaultChainConfiguration {

        @Bean
        SecurityFilterChain apiKeySecurityFilterChain(HttpSecurity http, ApiKeyProperties properties,
                                                      ResourceLoader resourceLoader) {
            String basePath = properties.getWeb().getBasePath();
            String adminAuthority = ApiKeyAuthenticationToken.AUTHORITY_PREFIX + properties.getAdminScope();
            boolean actuator = ClassUtils.isPresent(ACTUATOR_WEB_ENDPOINTS, resourceLoader.getClassLoader());
            http.authorizeHttpRequests(requests -> {
                        if (actuator) {
                            ActuatorRules.apply(requests, adminAuthority);
                        }
                        requests.requestMatchers(basePath, basePath + "/**").hasAuthority(adminAuthority)
                                .anyRequest().authenticated();
                    })
                    .sessionManagement(session -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                    .requestCache(cache -> cache.disable())
                    // No cookie or session authenticates in this chain, so there is nothing for CSRF to protect.
                    .csrf(csrf -> csrf.disable())
                    .with(apiKeys(), withDefaults());
            return http.build();
        }

        /**
         * The default chain authenticates API keys only, so there are no password users; without this, Spring Boot
         * would create one and log its generated password, next to a chain that never accepts it.
         */
        @Bean
        @ConditionalOnMissingBean(UserDetailsService.class)
        UserDetailsService apiKeyChainHasNoPasswordUsers() {
            return new InMemoryUserDetailsManager();
        }
    }

    /**
     * The default chain's rules for Actuator, when it is on the class path: health and its groups (liveness,
     * readiness, and their additional paths such as {@code /livez}) open to probes, which carry no key; every other
     * endpoint, whose answers (environment, configuration, heap) are for operators, needs the admin scope. A class of
     * its own, loaded only when Actuator is there.
     */
    static final class ActuatorRules {

        private ActuatorRules() {
        }

        static void apply(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry
                                  requests, String adminAuthority) {
            requests.requestMatchers(EndpointRequest.to("health"),
                            EndpointRequest.toAdditionalPaths(WebServerNamespace.SERVER, "health")).permitAll()
                    .requestMatchers(EndpointRequest.toAnyEndpoint()).hasAuthority(adminAuthority);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebMvcConfigurer.class)
    static class ApiKeyPrincipalParameterConfiguration implements WebMvcConfigurer {

        @Override
        public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
            resolvers.add(new ApiKeyPrincipalArgumentResolver());
        }
    }

    /** Makes sure advisors such as the one for {@link ApiKeyProtected} are applied, as method security does. */
    static class AutoProxyRegistrar implements ImportBeanDefinitionRegistrar {

        @Override
        public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
            AopConfigUtils.registerAutoProxyCreatorIfNecessary(registry);
        }
    }
}
