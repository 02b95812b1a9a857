package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.store.ApiKeyStore;

import io.github.apikey.core.store.ApiKeyEventStore;
import io.github.apikey.spring.jpa.ApiKeyChangeWriterImpl;
import io.github.apikey.spring.jpa.ApiKeyEventRepository;
import io.github.apikey.spring.jpa.ApiKeyCriteriaQueriesImpl;
import io.github.apikey.spring.jpa.JpaApiKeyEventStore;
import io.github.apikey.spring.jpa.ApiKeyRepository;
import io.github.apikey.spring.jpa.ApiKeySchemaInitializer;
import io.github.apikey.spring.jpa.ApiKeySchemaVerifier;
import io.github.apikey.spring.jpa.JpaApiKeyStore;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;
import io.github.apikey.spring.jpa.audit.ApiKeyEventEntity;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;

import javax.sql.DataSource;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnSingleCandidate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.data.jpa.repository.support.JpaRepositoryFactoryBean;
import org.springframework.data.repository.core.support.RepositoryComposition.RepositoryFragments;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The key repository, the JPA key store on it and the schema initializer that creates its table, for applications
 * with a DataSource, JPA and Spring Data JPA (all of which {@code spring-boot-starter-data-jpa} brings).
 */
@AutoConfiguration(after = HibernateJpaAutoConfiguration.class,
        afterName = "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
@ConditionalOnClass({EntityManagerFactory.class, HibernateJpaAutoConfiguration.class, JpaRepositoryFactoryBean.class})
@ConditionalOnBean(EntityManagerFactory.class)
@EnableConfigurationProperties(ApiKeyProperties.class)
@Import(DatabaseInitializationDependencyConfigurer.class)
public final class ApiKeyJpaAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyJpaAutoConfiguration.class);

    /**
     * Made here rather than by repository scanning, so that the application's own {@code @EnableJpaRepositories},
     * or Spring Boot's scan of the application's packages, neither misses it nor is switched off by it. Backs off
     * when a scan of the application's did find it.
     */
    @Bean
    @ConditionalOnMissingBean
    ApiKeyRepository apiKeyRepository(EntityManagerFactory entityManagerFactory, ListableBeanFactory beanFactory) {
        requireMapped(entityManagerFactory);
        EntityManager entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        JpaRepositoryFactoryBean<ApiKeyRepository, ApiKeyEntity, String> factory =
                new JpaRepositoryFactoryBean<>(ApiKeyRepository.class);
        factory.setEntityManager(entityManager);
        factory.setBeanFactory(beanFactory);
        // The store demarcates its own transactions with the right transaction manager; the repository's methods
        // need none of their own, so no transaction manager has to be named here.
        factory.setEnableDefaultTransactions(false);
        factory.setRepositoryFragments(RepositoryFragments.just(new ApiKeyChangeWriterImpl(entityManager),
                new ApiKeyCriteriaQueriesImpl(entityManager)));
        factory.afterPropertiesSet();
        return factory.getObject();
    }

    /** The audit trail's repository, made as the key repository is. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "api-key.audit.enabled", matchIfMissing = true)
    ApiKeyEventRepository apiKeyEventRepository(EntityManagerFactory entityManagerFactory,
                                                ListableBeanFactory beanFactory) {
        try {
            entityManagerFactory.getMetamodel().entity(ApiKeyEventEntity.class);
        } catch (IllegalArgumentException notManaged) {
            throw new IllegalStateException("The API key audit entity " + ApiKeyEventEntity.class.getName()
                    + " is not mapped by the application's EntityManagerFactory, so management operations cannot be "
                    + "recorded. Add the package " + ApiKeyEventEntity.class.getPackageName() + " to its packages to "
                    + "scan, set api-key.audit.enabled=false, or define your own ApiKeyEventStore bean.", notManaged);
        }
        JpaRepositoryFactoryBean<ApiKeyEventRepository, ApiKeyEventEntity, Long> factory =
                new JpaRepositoryFactoryBean<>(ApiKeyEventRepository.class);
        factory.setEntityManager(SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory));
        factory.setBeanFactory(beanFactory);
        factory.setEnableDefaultTransactions(false);
        factory.afterPropertiesSet();
        return factory.getObject();
    }

    /**
     * In the key store's transactions, so that a change and its event commit together. A key store of the
     * application's own shares them only if it works in this transaction manager's transactions (JDBC on the same
     * DataSource does): said at start-up, since nothing here can tell.
     */
    @Bean
    @ConditionalOnMissingBean(ApiKeyEventStore.class)
    @ConditionalOnBean(ApiKeyEventRepository.class)
    JpaApiKeyEventStore apiKeyEventStore(ApiKeyEventRepository repository, EntityManagerFactory entityManagerFactory,
                                         ObjectProvider<PlatformTransactionManager> transactionManagers,
                                         ObjectProvider<ApiKeyStore> keyStores) {
        ApiKeyStore keyStore = keyStores.getIfUnique();
        if (keyStore != null && !(keyStore instanceof JpaApiKeyStore)) {
            log.info("API keys are kept by the application's {} and their audit trail by JPA: a change and its "
                    + "event commit together only if that store works in the transactions of the JPA transaction "
                    + "manager (JDBC on the same DataSource does). Otherwise define an ApiKeyEventStore bean beside "
                    + "it.", keyStore.getClass().getName());
        }
        return new JpaApiKeyEventStore(repository,
                SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory),
                transactionManagerFor(entityManagerFactory, transactionManagers));
    }

    @Bean
    @ConditionalOnMissingBean(ApiKeyStore.class)
    @ConditionalOnBean(ApiKeyRepository.class)
    JpaApiKeyStore apiKeyStore(ApiKeyRepository repository, EntityManagerFactory entityManagerFactory,
                               ObjectProvider<PlatformTransactionManager> transactionManagers) {
        return new JpaApiKeyStore(repository, transactionManagerFor(entityManagerFactory, transactionManagers));
    }

    /**
     * The application's JPA transaction manager of this EntityManagerFactory, so that the store joins the
     * application's transactions; the primary one if there are several. An application whose transaction managers
     * are all of another kind (a JdbcTransactionManager, say) cannot have JPA writes join them: the store then
     * runs its writes in JPA transactions of its own rather than failing every one.
     */
    static PlatformTransactionManager transactionManagerFor(EntityManagerFactory entityManagerFactory,
                                                            ObjectProvider<PlatformTransactionManager> candidates) {
        PlatformTransactionManager primary = candidates.getIfUnique();
        if (managesJpaOf(primary, entityManagerFactory)) {
            return primary;
        }
        List<PlatformTransactionManager> jpa = candidates.orderedStream()
                .filter(candidate -> managesJpaOf(candidate, entityManagerFactory)).toList();
        if (jpa.size() == 1) {
            return jpa.get(0);
        }
        if (jpa.size() > 1) {
            throw new IllegalStateException("Several JPA transaction managers manage the application's "
                    + "EntityManagerFactory and none is @Primary, so the API key store cannot tell which one the "
                    + "application's transactions use. Mark one @Primary, or define your own ApiKeyStore bean.");
        }
        log.warn("No JpaTransactionManager of the application manages its EntityManagerFactory, so the API key "
                + "store writes in JPA transactions of its own, which do not join the application's transactions.");
        return new JpaTransactionManager(entityManagerFactory);
    }

    private static boolean managesJpaOf(PlatformTransactionManager candidate, EntityManagerFactory entityManagerFactory) {
        return candidate instanceof JpaTransactionManager jpa && jpa.getEntityManagerFactory() == entityManagerFactory;
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
        return new ApiKeySchemaInitializer(dataSource,
                DatabaseInitializationMode.valueOf(jdbc.getInitializeSchema().name()), jdbc.getPlatform(),
                jdbc.getTableName(), properties.getAudit().isEnabled());
    }

    /**
     * With {@code api-key.jdbc.initialize-schema=never} the starter creates and upgrades nothing, but still refuses
     * to start on a key table of an earlier schema version, naming the script that upgrades it.
     */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnSingleCandidate(DataSource.class)
    @ConditionalOnProperty(name = "api-key.jdbc.initialize-schema", havingValue = "never")
    ApiKeySchemaVerifier apiKeySchemaVerifier(DataSource dataSource, ApiKeyProperties properties) {
        ApiKeyProperties.Jdbc jdbc = properties.getJdbc();
        return new ApiKeySchemaVerifier(dataSource, jdbc.getPlatform(), jdbc.getTableName(),
                properties.getAudit().isEnabled());
    }

    /**
     * Matches unless {@code api-key.jdbc.initialize-schema} is {@code never}. Binds the value as configuration
     * properties are bound, so that a wrong value fails with Spring Boot's report of the property and its valid
     * values rather than an enum lookup error.
     */
    static final class OnApiKeySchemaInitializationCondition extends SpringBootCondition {

        private static final String PROPERTY = "api-key.jdbc.initialize-schema";

        @Override
        public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
            ApiKeyProperties.SchemaInitialization mode = Binder.get(context.getEnvironment())
                    .bind(PROPERTY, ApiKeyProperties.SchemaInitialization.class)
                    .orElse(ApiKeyProperties.SchemaInitialization.EMBEDDED);
            ConditionMessage.Builder message = ConditionMessage.forCondition("API key schema initialization");
            return mode == ApiKeyProperties.SchemaInitialization.NEVER
                    ? ConditionOutcome.noMatch(message.because(PROPERTY + " is never"))
                    : ConditionOutcome.match(message.because(PROPERTY + " is " + mode.name().toLowerCase()));
        }
    }
}
