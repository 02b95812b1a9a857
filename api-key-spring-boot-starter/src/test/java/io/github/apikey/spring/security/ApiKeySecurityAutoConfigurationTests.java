package io.github.apikey.spring.security;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.spring.autoconfigure.ApiKeyAutoConfiguration;
import io.github.apikey.spring.autoconfigure.ApiKeySecurityAutoConfiguration;

import org.junit.jupiter.api.Test;

import org.springframework.aop.Advisor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationConverter;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeySecurityAutoConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApiKeyAutoConfiguration.class,
                    ApiKeySecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
                    ServletWebSecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
                    WebMvcAutoConfiguration.class))
            .withPropertyValues("api-key.pepper=runner-pepper-0123456789abcdefgh", "api-key.hasher.type=hmac-sha256");

    @Test
    void contributesTheDefaultChainAndTheAnnotationAdvisor() {
        contextRunner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasBean("apiKeySecurityFilterChain");
            assertThat(context.getBeansOfType(SecurityFilterChain.class)).hasSize(1);
            assertThat(context).hasBean("apiKeyProtectedAuthorizationAdvisor");
            assertThat(context.getBean("apiKeyProtectedAuthorizationAdvisor")).isInstanceOf(Advisor.class);
        });
    }

    @Test
    void theDefaultChainBacksOffWhenTheApplicationDeclaresOne() {
        contextRunner.withUserConfiguration(OwnChain.class).run(context -> {
            assertThat(context).doesNotHaveBean("apiKeySecurityFilterChain");
            assertThat(context).hasSingleBean(SecurityFilterChain.class).hasBean("ownChain");
        });
    }

    @Test
    void staysAwayFromNonWebApplicationsAndApplicationsWithoutSpringSecurity() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ApiKeyAutoConfiguration.class,
                        ApiKeySecurityAutoConfiguration.class))
                .withPropertyValues("api-key.pepper=runner-pepper-0123456789abcdefgh")
                .run(context -> assertThat(context).doesNotHaveBean("apiKeyProtectedAuthorizationAdvisor"));
        contextRunner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
                .run(context -> assertThat(context).doesNotHaveBean("apiKeyProtectedAuthorizationAdvisor"));
    }

    @Test
    void contributesABearerTokenResolverThatLeavesKeysToApiKeyAuthentication() {
        contextRunner.run(context -> {
            BearerTokenResolver resolver = context.getBean(BearerTokenResolver.class);
            assertThat(resolver).isInstanceOf(ApiKeyBearerTokenResolver.class);
            ApiKeyFormat format = new ApiKeyFormat();
            String key = format.format(format.newKeyId(), format.newSecret());

            assertThat(resolver.resolve(bearer(key))).isNull();
            assertThat(resolver.resolve(bearer("eyJhbGciOiJSUzI1NiJ9.e30.sig"))).isEqualTo("eyJhbGciOiJSUzI1NiJ9.e30.sig");
            assertThat(resolver.resolve(new MockHttpServletRequest())).isNull();
        });
    }

    @Test
    void theBearerTokenResolverBacksOffForTheApplicationsResolverOrConverterAndWithoutAResourceServer() {
        contextRunner.withUserConfiguration(OwnResolver.class).run(context ->
                assertThat(context).hasSingleBean(BearerTokenResolver.class)
                        .doesNotHaveBean(ApiKeyBearerTokenResolver.class));
        contextRunner.withUserConfiguration(OwnConverter.class).run(context ->
                assertThat(context).doesNotHaveBean(BearerTokenResolver.class));
        contextRunner.withClassLoader(new FilteredClassLoader(BearerTokenResolver.class)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean("apiKeyBearerTokenResolver");
        });
    }

    @Test
    void anApplicationWrapsItsOwnResolverToLetKeysThrough() {
        ApiKeyFormat format = new ApiKeyFormat("sk_live", "-");
        String key = format.format(format.newKeyId(), format.newSecret());
        BearerTokenResolver own = request -> "resolved-by-the-application";
        ApiKeyBearerTokenResolver wrapped = new ApiKeyBearerTokenResolver(own, format);

        assertThat(wrapped.resolve(bearer(key))).isNull();
        assertThat(wrapped.resolve(bearer("eyJhbGciOiJSUzI1NiJ9.e30.sig"))).isEqualTo("resolved-by-the-application");
    }

    @Test
    void theSecuritySettingsComeFromTheProperties() {
        contextRunner.withPropertyValues("api-key.security.header-name=X-API-Key", "api-key.security.realm=billing",
                        "api-key.expiry-warning=1d")
                .run(context -> {
                    ApiKeySecuritySettings settings = context.getBean(ApiKeySecuritySettings.class);
                    assertThat(settings.getHeaderName()).isEqualTo("X-API-Key");
                    assertThat(settings.getRealm()).isEqualTo("billing");
                    assertThat(settings.getExpiryWarning()).isEqualTo(java.time.Duration.ofDays(1));
                });
        contextRunner.run(context -> assertThat(context.getBean(ApiKeySecuritySettings.class).getExpiryWarning())
                .isEqualTo(java.time.Duration.ofDays(7)));
    }

    private static MockHttpServletRequest bearer(String token) {
        MockHttpServletRequest request = new MockHttpServletRequest();
        request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + token);
        return request;
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnResolver {

        @Bean
        BearerTokenResolver ownResolver() {
            return new DefaultBearerTokenResolver();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnConverter {

        @Bean
        AuthenticationConverter ownConverter() {
            return request -> null;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChain {

        @Bean
        SecurityFilterChain ownChain(HttpSecurity http) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
    }
}
