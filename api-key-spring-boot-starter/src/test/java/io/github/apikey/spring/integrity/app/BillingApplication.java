package io.github.apikey.spring.integrity.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/** An application with JPA entities and transactions of its own. */
@SpringBootApplication
public class BillingApplication {
}
