package io.github.apikey.spring.security.mixed;

// The README shows the code between the tag lines verbatim; ReadmeSnippetTests keeps the two equal.
// tag::security-configuration[]
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static io.github.apikey.spring.security.ApiKeyConfigurer.apiKeys;
import static org.springframework.security.config.Customizer.withDefaults;

@Configuration
class SecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) {
        http.authorizeHttpRequests(requests -> requests
                        .requestMatchers("/public").permitAll()
                        .requestMatchers("/api-keys/**").hasAuthority("SCOPE_api-keys:admin")
                        .anyRequest().authenticated())
                .httpBasic(withDefaults())
                .with(apiKeys(), withDefaults());
        return http.build();
    }
}
// end::security-configuration[]
