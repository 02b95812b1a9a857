package io.github.apikey.spring.jpa;

import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.autoconfigure.ApiKeyProperties;

import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import javax.sql.DataSource;

import org.springframework.beans.factory.ListableBeanFactory;
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
import org.springframework.data.jpa.repository.support.JpaRepositoryFactoryBean;
import org.springframework.data.repository.core.support.RepositoryComposition.RepositoryFragments;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The key repository, the JPA key store on it and the schema initializer that creates its table, for applications
 * with a DataSource and JPA.
 */
@AutoConfiguration(after = HibernateJpaAutoConfiguration.class,
        afterName = "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
@ConditionalOnClass({EntityManagerFactory.class, HibernateJpaAutoConfiguration.class})
@ConditionalOnBean(EntityManagerFactory.class)
@EnableConfigurationProperties(ApiKeyProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class ApiKeyJpaAutoConfiguration {

    /**
     * Made here rather than by repository scanning, so that the application's own {@code @EnableJpaRepositories},
     * or Spring Boot's scan of the application's packages, neither misses it nor is switched off by it. Backs off
     * when a scan of the application's did find it.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(PlatformTransactionManager.class)
    ApiKeyRepository apiKeyRepository(EntityManagerFactory entityManagerFactory, ListableBeanFactory beanFactory) {
        requireMapped(entityManagerFactory);
        EntityManager entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        JpaRepositoryFactoryBean<ApiKeyRepository, ApiKeyEntity, String> factory =
                new JpaRepositoryFactoryBean<>(ApiKeyRepository.class);
        factory.setEntityManager(entityManager);
        factory.setBeanFactory(beanFactory);
        factory.setTransactionManager(beanFactory.getBeanNamesForType(PlatformTransactionManager.class)[0]);
        factory.setRepositoryFragments(RepositoryFragments.just(new ApiKeyChangeWriterImpl(entityManager)));
        factory.afterPropertiesSet();
        return factory.getObject();
    }

    @Bean
    @ConditionalOnMissingBean(ApiKeyStore.class)
    @ConditionalOnBean(ApiKeyRepository.class)
    JpaApiKeyStore apiKeyStore(ApiKeyRepository repository, PlatformTransactionManager transactionManager) {
        return new JpaApiKeyStore(repository, transactionManager);
    }

    private static void requireMapped(EntityManagerFactory entityManagerFactory) {
        try {
            entityManagerFactory.getMetamodel().entity(ApiKeyEntity.class);
        } catch (IllegalArgumentException notManaged) {
            throw new IllegalStateException("The API key entity " + ApiKeyEntity.class.getName()
                    + " is not mapped by the application's EntityManagerFactory, so keys cannot be stored. This "
                    + "happens when a custom EntityManagerFactory lists its packages explicitly. Add the package "
                    + ApiKeyEntity.class.getPackageName() + " to its packages to scan (for example "
                    + "@EntityScan(basePackageClasses = { YourEntity.class, ApiKeyEntity.class })), or define "
                    + "your own ApiKeyStore bean.", notManaged);
        }
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
