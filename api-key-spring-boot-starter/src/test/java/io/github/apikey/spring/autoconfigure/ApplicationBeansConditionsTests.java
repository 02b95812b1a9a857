package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.usage.CoalescingUsageRecorder;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.jpa.JpaApiKeyStore;

import jakarta.persistence.EntityManagerFactory;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The starter's conditions with beans that applications commonly define themselves. */
class ApplicationBeansConditionsTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, HibernateJpaAutoConfiguration.class,
                    TransactionAutoConfiguration.class, ApiKeyJpaEntityAutoConfiguration.class,
                    ApiKeyJpaAuditEntityAutoConfiguration.class,
                    ApiKeyJpaAutoConfiguration.class, ApiKeyAutoConfiguration.class))
            .withPropertyValues("spring.datasource.generate-unique-name=true", "spring.jpa.hibernate.ddl-auto=none",
                    "api-key.pepper=conditions-test-pepper-0123456789abcdef", "api-key.hasher.type=hmac-sha256");

    @Test
    void anApplicationUsageRecorderReplacesTheCoalescingOne() {
        contextRunner.withUserConfiguration(OwnUsageRecorder.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(CoalescingUsageRecorder.class);
            ApiKeyService service = context.getBean(ApiKeyService.class);
            CreatedApiKey created = service.create(NewApiKey.named("recorded"));

            service.verify(created.plaintext());

            assertThat(context.getBean(OwnUsageRecorder.class).uses).containsKey(created.apiKey().getId());
        });
    }

    @Test
    void withAJpaAndAJdbcTransactionManagerTheStoreIsJpaAndJoinsTheJpaTransactions() {
        contextRunner.withUserConfiguration(JpaAndJdbcTransactionManagers.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(JpaApiKeyStore.class);
            ApiKeyService service = context.getBean(ApiKeyService.class);
            TransactionTemplate applicationTransaction =
                    new TransactionTemplate(context.getBean(JpaTransactionManager.class));

            applicationTransaction.executeWithoutResult(status -> {
                service.create(NewApiKey.named("rolled back"));
                status.setRollbackOnly();
            });
            CreatedApiKey kept = applicationTransaction.execute(status -> service.create(NewApiKey.named("kept")));

            assertThat(service.list(0, 10)).extracting(key -> key.getName()).containsExactly("kept");
            assertThat(service.verify(kept.plaintext()).getName()).isEqualTo("kept");
        });
    }

    @Test
    void withOnlyAJdbcTransactionManagerTheJpaStoreStillWrites() {
        contextRunner.withUserConfiguration(OnlyJdbcTransactionManager.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(JpaApiKeyStore.class);
            ApiKeyService service = context.getBean(ApiKeyService.class);

            CreatedApiKey created = service.create(NewApiKey.named("written"));
            service.deactivate(created.apiKey().getId());
            service.delete(service.create(NewApiKey.named("deleted")).apiKey().getId());

            assertThat(service.list(0, 10)).singleElement()
                    .satisfies(key -> assertThat(key.isActive()).isFalse());
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnUsageRecorder implements UsageRecorder {

        final Map<UUID, Instant> uses = new ConcurrentHashMap<>();

        @Override
        public void recordUse(UUID id, Instant usedAt) {
            uses.put(id, usedAt);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class JpaAndJdbcTransactionManagers {

        @Bean
        JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
            return new JpaTransactionManager(entityManagerFactory);
        }

        @Bean
        JdbcTransactionManager reportingTransactionManager(DataSource dataSource) {
            return new JdbcTransactionManager(dataSource);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OnlyJdbcTransactionManager {

        @Bean
        JdbcTransactionManager transactionManager(DataSource dataSource) {
            return new JdbcTransactionManager(dataSource);
        }
    }
}
