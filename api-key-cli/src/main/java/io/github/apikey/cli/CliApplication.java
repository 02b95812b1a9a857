package io.github.apikey.cli;

import io.github.apikey.core.audit.ApiKeyActor;
import io.github.apikey.core.audit.ApiKeyActorResolver;
import io.github.apikey.spring.autoconfigure.ApiKeyAutoConfiguration;
import io.github.apikey.spring.autoconfigure.ApiKeyJpaAuditEntityAutoConfiguration;
import io.github.apikey.spring.autoconfigure.ApiKeyJpaAutoConfiguration;
import io.github.apikey.spring.autoconfigure.ApiKeyJpaEntityAutoConfiguration;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.persistence.autoconfigure.PersistenceExceptionTranslationAutoConfiguration;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The Spring context the command line runs the starter in: a DataSource, Hibernate, and the starter's JPA store,
 * schema initializer or verifier, hasher and service, exactly as an application gets them, and nothing else (no web
 * server, no security chain, no scan of anything), so that it starts in about two seconds.
 */
@Configuration(proxyBeanMethods = false)
@ImportAutoConfiguration({DataSourceAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
        TransactionAutoConfiguration.class, PersistenceExceptionTranslationAutoConfiguration.class,
        ApiKeyJpaEntityAutoConfiguration.class, ApiKeyJpaAuditEntityAutoConfiguration.class,
        ApiKeyJpaAutoConfiguration.class, ApiKeyAutoConfiguration.class})
class CliApplication {

    /**
     * Operations from the command line enter the audit trail as the user {@code cli:<operating-system user>}: an
     * emergency change made beside the application is still recorded, and by whom.
     */
    @Bean
    ApiKeyActorResolver apiKeyActorResolver() {
        ApiKeyActor actor = ApiKeyActor.user("cli:" + System.getProperty("user.name", "unknown"), null);
        return () -> actor;
    }
}
