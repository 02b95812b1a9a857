package io.github.apikey.spring.security.ordering;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

import static io.github.apikey.spring.security.ApiKeyConfigurer.apiKeys;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * The same chain written in both orders of the DSL calls, and a chain with API keys alone. No component scan, so
 * that each test starts exactly one of them.
 */
final class ChainApplications {

    private ChainApplications() {
    }

    static void rules(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry rules) {
        rules.requestMatchers("/admin").hasRole("ADMIN").anyRequest().authenticated();
    }

    static UserDetailsService alice() {
        return new InMemoryUserDetailsManager(User.withUsername("alice").password("{noop}secret").roles("USER")
                .build());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OrderingController.class)
    static class BasicThenKeys {

        @Bean
        SecurityFilterChain chain(HttpSecurity http) {
            return http.authorizeHttpRequests(ChainApplications::rules)
                    .httpBasic(withDefaults())
                    .with(apiKeys(), withDefaults())
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return alice();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OrderingController.class)
    static class KeysThenBasic {

        @Bean
        SecurityFilterChain chain(HttpSecurity http) {
            return http.with(apiKeys(), withDefaults())
                    .httpBasic(withDefaults())
                    .authorizeHttpRequests(ChainApplications::rules)
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return alice();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(OrderingController.class)
    static class KeysOnly {

        @Bean
        SecurityFilterChain chain(HttpSecurity http) {
            return http.authorizeHttpRequests(ChainApplications::rules)
                    .with(apiKeys(), withDefaults())
                    .build();
        }

        @Bean
        UserDetailsService users() {
            return alice();
        }
    }
}
