package io.github.apikey.test.example;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/** A user's application: the starter's default chain, method security for {@code @PreAuthorize}. */
@SpringBootApplication
@EnableMethodSecurity
public class ExampleApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExampleApplication.class, args);
    }
}
