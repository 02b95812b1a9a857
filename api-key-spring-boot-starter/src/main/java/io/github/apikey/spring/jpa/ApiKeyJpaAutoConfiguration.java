package io.github.apikey.spring.jpa;

import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.autoconfigure.ApiKeyProperties;

import jakarta.persistence.EntityManagerFactory;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.sql.autoconfigure.init.OnDatabaseInitializationCondition;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The JPA key store and the schema initializer that creates its table, for applications with a DataSource and
 * JPA.
 */
@AutoConfiguration(after = HibernateJpaAutoConfiguration.class)
@ConditionalOnClass({EntityManagerFactory.class, HibernateJpaAutoConfiguration.class})
@ConditionalOnBean(EntityManagerFactory.class)
@EnableConfigurationProperties(ApiKeyProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class ApiKeyJpaAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ApiKeyStore.class)
    @ConditionalOnSingleCandidate(PlatformTransactionManager.class)
    JpaApiKeyStore apiKeyStore(EntityManagerFactory entityManagerFactory,
                               PlatformTransactionManager transactionManager) {
        return new JpaApiKeyStore(entityManagerFactory, transactionManager);
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    @Conditional(OnApiKeySchemaInitializationCondition.class)
    ApiKeySchemaInitializer apiKeySchemaInitializer(DataSource dataSource, ApiKeyProperties properties) {
        ApiKeyProperties.Jdbc jdbc = properties.getJdbc();
        return new ApiKeySchemaInitializer(dataSource, jdbc.getInitializeSchema(), jdbc.getPlatform(),
                jdbc.getTableName());
    }

    static final class OnApiKeySchemaInitializationCondition extends OnDatabaseInitializationCondition {

        OnApiKeySchemaInitializationCondition() {
            super("API key", "api-key.jdbc.initialize-schema");
        }
    }
}
