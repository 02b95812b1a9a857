package io.github.apikey.spring.coexistence.app;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.persistence.autoconfigure.EntityScan;
import org.springframework.data.jpa.repository.config.EnableJpaRepositories;

/** An application with its own entity scan and repositories, which would hide a starter's entity. */
@SpringBootApplication
@EntityScan(basePackageClasses = Invoice.class)
@EnableJpaRepositories(basePackageClasses = InvoiceRepository.class)
public class InvoiceApplication {
}
