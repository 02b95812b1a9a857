package io.github.apikey.spring.openapi.app;

import io.github.apikey.spring.security.ApiKeyPrincipal;

import java.util.Map;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static io.github.apikey.spring.security.ApiKeyConfigurer.apiKeys;
import static org.springframework.security.config.Customizer.withDefaults;

/**
 * An application with its own chain: one open route, one that shows the calling key, the management API, and the
 * OpenAPI document open to anyone.
 */
@SpringBootApplication
public class OpenApiApplication {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/status", "/v3/api-docs", "/v3/api-docs/**", "/v3/api-docs.yaml").permitAll()
                        .anyRequest().authenticated())
                .csrf(csrf -> csrf.disable())
                .with(apiKeys(), withDefaults());
        return http.build();
    }

    @RestController
    static class CallerController {

        @GetMapping("/status")
        Map<String, String> status() {
            return Map.of("status", "up");
        }

        @GetMapping("/me")
        String me(ApiKeyPrincipal caller) {
            return caller.getName();
        }
    }
}
