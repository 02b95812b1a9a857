package io.github.apikey.spring.integrity;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.CreditConsumption;
import io.github.apikey.spring.integrity.app.BillingApplication;
import io.github.apikey.spring.integrity.app.Customer;
import io.github.apikey.spring.integrity.app.CustomerRepository;
import io.github.apikey.spring.jpa.ApiKeyRepository;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;
import io.github.apikey.spring.testing.TestDatabase;

import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Consuming a credit and rotating a secret from inside the application's own transaction: both join it (a
 * rollback undoes them), neither clears the application's persistence context (its pending change is saved with
 * them), and a key entity the transaction had loaded shows the written values afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CallerTransactionLifecycleTests {

    private TestDatabase database;
    private ConfigurableApplicationContext context;

    @BeforeAll
    void start() {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(List.of("api-key.pepper=caller-lifecycle-pepper-0123456789", "api-key.hasher.type=hmac-sha256",
                "api-key.jdbc.initialize-schema=always", "spring.jpa.hibernate.ddl-auto=update",
                "spring.main.banner-mode=off"));
        context = new SpringApplicationBuilder(BillingApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    @AfterAll
    void stop() throws Exception {
        if (context != null) {
            context.close();
        }
        if (database != null) {
            database.close();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void consumingACreditJoinsTheCallersTransactionAndKeepsItsPersistenceContext(boolean commit) {
        UUID id = service().create(NewApiKey.named("metered in a transaction").withCredits(5L, null)).apiKey().getId();
        Customer customer = context.getBean(CustomerRepository.class).save(new Customer("ACME"));

        transactions().executeWithoutResult(status -> {
            Customer managed = context.getBean(CustomerRepository.class).findById(customer.getId()).orElseThrow();
            managed.setName("ACME (metered)");
            ApiKeyEntity loaded = context.getBean(ApiKeyRepository.class).findById(id.toString()).orElseThrow();

            assertThat(store().consumeCredit(id, Instant.now())).isEqualTo(CreditConsumption.consumed(4));

            assertThat(entityManager().contains(managed)).as("the caller's entity is still managed").isTrue();
            assertThat(loaded.getRemaining()).as("the loaded key entity is refreshed").isEqualTo(4L);
            if (!commit) {
                status.setRollbackOnly();
            }
        });

        assertThat(service().get(id).getRemaining()).isEqualTo(commit ? 4L : 5L);
        assertThat(context.getBean(CustomerRepository.class).findById(customer.getId()).orElseThrow().getName())
                .isEqualTo(commit ? "ACME (metered)" : "ACME");
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void rotatingJoinsTheCallersTransactionAndKeepsItsPersistenceContext(boolean commit) {
        ApiKey key = service().create(NewApiKey.named("rotated in a transaction")).apiKey();
        Customer customer = context.getBean(CustomerRepository.class).save(new Customer("Globex"));
        String newHash = "$test$rotated-" + UUID.randomUUID();

        transactions().executeWithoutResult(status -> {
            Customer managed = context.getBean(CustomerRepository.class).findById(customer.getId()).orElseThrow();
            managed.setName("Globex (rotated)");
            ApiKeyEntity loaded = context.getBean(ApiKeyRepository.class).findById(key.getId().toString())
                    .orElseThrow();
            Instant now = Instant.now();

            ApiKey rotated = store().rotate(key.getId(), new SecretRotation(newHash, "abcd", "wxyz", now,
                    now.plusSeconds(3600))).orElseThrow();

            assertThat(rotated.getPreviousKeyHash()).isEqualTo(key.getKeyHash());
            assertThat(entityManager().contains(managed)).as("the caller's entity is still managed").isTrue();
            assertThat(loaded.getKeyHash()).as("the loaded key entity is refreshed").isEqualTo(newHash);
            if (!commit) {
                status.setRollbackOnly();
            }
        });

        assertThat(service().get(key.getId()).getKeyHash()).isEqualTo(commit ? newHash : key.getKeyHash());
        assertThat(context.getBean(CustomerRepository.class).findById(customer.getId()).orElseThrow().getName())
                .isEqualTo(commit ? "Globex (rotated)" : "Globex");
    }

    private ApiKeyService service() {
        return context.getBean(ApiKeyService.class);
    }

    private ApiKeyStore store() {
        return context.getBean(ApiKeyStore.class);
    }

    private EntityManager entityManager() {
        return context.getBean(EntityManager.class);
    }

    private TransactionTemplate transactions() {
        return new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
    }
}
