package io.github.apikey.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;

/**
 * Shows the API key starter at work: {@code /public} needs no key, {@code /protected} any valid key,
 * {@code /protected/write} a key with scope {@code write}, and {@code /api-keys} the admin scope. API keys are its
 * only credentials, so Spring Boot's generated password user is switched off.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
public class SampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }
}
