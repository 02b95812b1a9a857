package io.github.apikey.spring.web.app;

import io.github.apikey.core.testing.MutableClock;

import java.time.Instant;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/** An application with nothing but the starter: default chain and management API. */
@SpringBootApplication
public class ManagementApplication {

    @Bean
    MutableClock clock() {
        return new MutableClock(Instant.parse("2026-06-01T00:00:00Z"));
    }
}
