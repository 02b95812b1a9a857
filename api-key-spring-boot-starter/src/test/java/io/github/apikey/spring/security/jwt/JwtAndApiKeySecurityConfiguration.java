package io.github.apikey.spring.security.jwt;

// The README shows the code between the tag lines verbatim; ReadmeSnippetTests keeps the two equal.
// tag::jwt-configuration[]
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

import static io.github.apikey.spring.security.ApiKeyConfigurer.apiKeys;
import static org.springframework.security.config.Customizer.withDefaults;

@Configuration
class JwtAndApiKeySecurityConfiguration {

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http) {
        http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer.jwt(withDefaults()))
                .with(apiKeys(), withDefaults());
        return http.build();
    }
}
// end::jwt-configuration[]
