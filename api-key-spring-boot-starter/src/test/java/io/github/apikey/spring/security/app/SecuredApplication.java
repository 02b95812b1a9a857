package io.github.apikey.spring.security.app;

import io.github.apikey.core.testing.MutableClock;

import java.time.Instant;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/** An application that relies on the starter's default security chain. */
@SpringBootApplication
@EnableMethodSecurity
public class SecuredApplication {

    @Bean
    MutableClock clock() {
        return new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
    }
}
