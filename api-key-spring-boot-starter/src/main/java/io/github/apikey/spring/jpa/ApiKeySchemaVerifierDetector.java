package io.github.apikey.spring.jpa;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;

/**
 * Makes Spring Boot treat {@link ApiKeySchemaVerifier} as a database initializer, so that the JPA
 * EntityManagerFactory (and with it Hibernate's schema validation, if the application turned it on) waits for the
 * verifier: an outdated table is then reported with the script that upgrades it, not as a missing column.
 */
public class ApiKeySchemaVerifierDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

    @Override
    protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
        return Set.of(ApiKeySchemaVerifier.class);
    }
}
