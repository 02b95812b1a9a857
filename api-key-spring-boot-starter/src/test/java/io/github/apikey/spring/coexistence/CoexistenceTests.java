package io.github.apikey.spring.coexistence;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.jpa.JpaApiKeyStore;
import io.github.apikey.spring.coexistence.app.Invoice;
import io.github.apikey.spring.coexistence.app.InvoiceApplication;
import io.github.apikey.spring.coexistence.app.InvoiceRepository;

import org.junit.jupiter.api.Test;

import java.util.List;

import javax.sql.DataSource;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;
import org.springframework.orm.jpa.vendor.HibernateJpaVendorAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The starter inside an application that has JPA of its own. */
class CoexistenceTests {

    @Test
    void storesKeysBesideTheApplicationsOwnEntityScanAndRepositories() {
        try (ConfigurableApplicationContext context = start(InvoiceApplication.class)) {
            ApiKeyService service = context.getBean(ApiKeyService.class);
            CreatedApiKey created = service.create(NewApiKey.named("invoicing").withScopes(List.of("invoices:read")));
            InvoiceRepository invoices = context.getBean(InvoiceRepository.class);
            invoices.save(new Invoice("INV-1"));

            assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(JpaApiKeyStore.class);
            assertThat(service.verify(created.plaintext(), List.of("invoices:read")).getName()).isEqualTo("invoicing");
            assertThat(invoices.findAll()).extracting(Invoice::getNumber).containsExactly("INV-1");
        }
    }

    @Test
    void failsAtStartUpSayingHowToFixItWhenTheEntityIsNotMapped() {
        assertThatThrownBy(() -> start(InvoiceApplication.class, OwnEntityManagerFactory.class).close())
                .hasStackTraceContaining("io.github.apikey.spring.jpa.entity.ApiKeyEntity is not mapped")
                .hasStackTraceContaining("@EntityScan(basePackageClasses = { YourEntity.class, ApiKeyEntity.class })");
    }

    private static ConfigurableApplicationContext start(Class<?>... sources) {
        return new SpringApplicationBuilder(sources)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.generate-unique-name=true", "spring.main.banner-mode=off",
                        "api-key.pepper=coexistence-pepper-0123456789abc", "api-key.hasher.type=hmac-sha256")
                .run();
    }

    /** An application-managed EntityManagerFactory that lists only the application's packages. */
    @Configuration(proxyBeanMethods = false)
    static class OwnEntityManagerFactory {

        @Bean
        LocalContainerEntityManagerFactoryBean entityManagerFactory(DataSource dataSource) {
            LocalContainerEntityManagerFactoryBean factory = new LocalContainerEntityManagerFactoryBean();
            factory.setDataSource(dataSource);
            factory.setPackagesToScan(Invoice.class.getPackageName());
            factory.setJpaVendorAdapter(new HibernateJpaVendorAdapter());
            return factory;
        }
    }
}
