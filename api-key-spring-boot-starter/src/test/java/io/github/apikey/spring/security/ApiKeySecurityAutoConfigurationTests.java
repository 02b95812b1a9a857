package io.github.apikey.spring.security;

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
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeySecurityAutoConfigurationTests {

    private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApiKeyAutoConfiguration.class,
                    ApiKeySecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
                    ServletWebSecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
                    WebMvcAutoConfiguration.class))
            .withPropertyValues("api-key.pepper=runner-pepper", "api-key.hasher.type=hmac-sha256");

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
                .withPropertyValues("api-key.pepper=runner-pepper")
                .run(context -> assertThat(context).doesNotHaveBean("apiKeyProtectedAuthorizationAdvisor"));
        contextRunner.withClassLoader(new FilteredClassLoader(SecurityFilterChain.class))
                .run(context -> assertThat(context).doesNotHaveBean("apiKeyProtectedAuthorizationAdvisor"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnChain {

        @Bean
        SecurityFilterChain ownChain(HttpSecurity http) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll()).build();
        }
    }
}
