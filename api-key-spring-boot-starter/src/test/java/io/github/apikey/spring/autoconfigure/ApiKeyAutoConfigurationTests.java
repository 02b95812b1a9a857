package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.ApiKeyHasher;
import io.github.apikey.core.hash.Argon2ApiKeyHasher;
import io.github.apikey.core.hash.Argon2Cost;
import io.github.apikey.core.hash.BCryptApiKeyHasher;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.service.ApiKeyRules;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.DelegatingStore;
import io.github.apikey.spring.jpa.ApiKeySchemaInitializer;
import io.github.apikey.spring.security.ApiKeySecuritySettings;
import io.github.apikey.core.store.ApiKeyEventStore;
import io.github.apikey.core.store.InMemoryApiKeyEventStore;
import io.github.apikey.spring.jpa.JpaApiKeyEventStore;
import io.github.apikey.spring.jpa.JpaApiKeyStore;

import jakarta.persistence.EntityManagerFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ClassPathResource;
import org.springframework.jdbc.BadSqlGrammarException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@ExtendWith(OutputCaptureExtension.class)
class ApiKeyAutoConfigurationTests {

    private static final String PEPPER = "auto-configuration-test-pepper-0123456789";

    /** Cheap Argon2 cost so that contexts that hash stay fast. */
    private static final String[] CHEAP_ARGON2 = {"api-key.hasher.argon2.memory-kib=1024",
            "api-key.hasher.argon2.iterations=1", "api-key.hasher.argon2.parallelism=1"};

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class,
                    DataSourceTransactionManagerAutoConfiguration.class, JdbcTemplateAutoConfiguration.class,
                    HibernateJpaAutoConfiguration.class, TransactionAutoConfiguration.class,
                    ApiKeyJpaEntityAutoConfiguration.class,
                    ApiKeyJpaAuditEntityAutoConfiguration.class, ApiKeyJpaAutoConfiguration.class,
                    ApiKeyAutoConfiguration.class))
            .withPropertyValues("spring.datasource.generate-unique-name=true", "spring.jpa.hibernate.ddl-auto=none")
            .withPropertyValues(CHEAP_ARGON2);

    @Test
    void contributesTheJpaStoreArgon2HasherAndServiceWithADataSource() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(ApiKeyService.class);
            assertThat(context).getBean(ApiKeyStore.class).isInstanceOf(JpaApiKeyStore.class);
            assertThat(context).getBean(ApiKeyHasher.class).isInstanceOf(Argon2ApiKeyHasher.class);
            assertThat(context).hasSingleBean(ApiKeySchemaInitializer.class);
            assertThat(context.getBean(ApiKeyFormat.class).getPrefix()).isEqualTo("ak_v1");

            ApiKeyService service = context.getBean(ApiKeyService.class);
            CreatedApiKey created = service.create(NewApiKey.named("stored").withScopes(List.of("read")));
            assertThat(service.verify(created.plaintext(), List.of("read")).getName()).isEqualTo("stored");
            assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT COUNT(*) FROM api_keys",
                    Integer.class)).isEqualTo(1);
        });
    }

    @Test
    void propertyDefaultsAreTheCoresDefaults() {
        ApiKeyProperties defaults = new ApiKeyProperties();

        assertThat(defaults.getPrefix()).isEqualTo(ApiKeyFormat.DEFAULT_PREFIX);
        assertThat(defaults.getSeparator()).isEqualTo(ApiKeyFormat.DEFAULT_SEPARATOR);
        assertThat(defaults.getHasher().getArgon2().toCost()).isEqualTo(Argon2Cost.DEFAULT);
        assertThat(defaults.getHasher().getBcrypt().getCost()).isEqualTo(BCryptApiKeyHasher.DEFAULT_COST);
        assertThat(defaults.getMetadata().getMaxSize().toBytes()).isEqualTo(ApiKeyRules.DEFAULT_MAX_METADATA_BYTES);
        assertThat(defaults.getRotation().getMaxGracePeriod()).isEqualTo(ApiKeyRules.DEFAULT_MAX_GRACE_PERIOD);
        assertThat(defaults.getExpiryWarning()).isEqualTo(ApiKeySecuritySettings.DEFAULT_EXPIRY_WARNING);
    }

    @Test
    void theMetadataSizeAndGracePeriodLimitsReachTheService() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER, "api-key.metadata.max-size=18B",
                "api-key.rotation.max-grace-period=2h").run(context -> {
            ApiKeyService service = context.getBean(ApiKeyService.class);
            // {"a":"1234567890"} is 18 bytes.
            assertThat(service.create(NewApiKey.named("small").withMetadata(Map.of("a", "1234567890"))).apiKey()
                    .getMetadata()).containsEntry("a", "1234567890");
            assertThatExceptionOfType(ApiKeyValidationException.class).isThrownBy(() -> service.create(
                    NewApiKey.named("big").withMetadata(Map.of("a", "12345678901")))).satisfies(refused ->
                    assertThat(refused.getField()).isEqualTo("metadata"));

            CreatedApiKey rotated = service.create(NewApiKey.named("rotated"));
            assertThat(service.rotate(rotated.apiKey().getId(), Duration.ofHours(2)).apiKey()
                    .getPreviousSecretExpiresAt()).isNotNull();
            assertThatExceptionOfType(ApiKeyValidationException.class).isThrownBy(() -> service.rotate(
                    rotated.apiKey().getId(), Duration.ofHours(2).plusSeconds(1))).satisfies(refused ->
                    assertThat(refused.getField()).isEqualTo("gracePeriod"));
        });
    }

    @Test
    void theDefaultArgon2CostIsKeyshields() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ApiKeyAutoConfiguration.class))
                .withPropertyValues("api-key.pepper=" + PEPPER)
                .run(context -> assertThat(((Argon2ApiKeyHasher) context.getBean(ApiKeyHasher.class)).getCost())
                        .isEqualTo(Argon2Cost.DEFAULT));
    }

    @Test
    void failsAtStartUpWithoutAPepperNamingThePropertyAndItsEnvironmentForm() {
        contextRunner.run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).rootCause().isInstanceOf(InvalidPepperException.class)
                    .hasMessageContaining("api-key.pepper").hasMessageContaining("API_KEY_PEPPER");

            FailureAnalysis analysis = analyze(failure);
            assertThat(analysis.getDescription()).contains("api-key.pepper");
            assertThat(analysis.getAction()).contains("API_KEY_PEPPER").contains("api-key.pepper");
        });
    }

    @Test
    void aPepperShorterThan32CharactersIsRefusedWithTheCommandThatMakesAGoodOne() {
        String shortPepper = "thirty-one-characters-of-pepper";
        contextRunner.withPropertyValues("api-key.pepper=" + shortPepper).run(context -> {
            Throwable failure = context.getStartupFailure();
            assertThat(failure).rootCause().isInstanceOf(InvalidPepperException.class)
                    .hasMessageContaining("31 characters long; it must be at least 32")
                    .hasMessageNotContaining(shortPepper);

            FailureAnalysis analysis = analyze(failure);
            assertThat(analysis.getAction()).contains("openssl rand -base64 48");
            assertThat(analysis.getDescription() + analysis.getAction()).doesNotContain(shortPepper);
        });
        contextRunner.withPropertyValues("api-key.pepper=" + shortPepper + "!")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aBlankPepperIsMissingToo() {
        contextRunner.withPropertyValues("api-key.pepper=   ").run(context ->
                assertThat(context.getStartupFailure()).rootCause().isInstanceOf(InvalidPepperException.class));
    }

    @Test
    void takesThePepperFromTheApiKeyPepperEnvironmentVariable() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new SystemEnvironmentPropertySource(
                StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME + "-test",
                Map.of("API_KEY_PEPPER", PEPPER, "API_KEY_PREFIX", "sk_test")));
        contextRunner.withInitializer(context -> context.setEnvironment(environment)).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ApiKeyProperties.class).getPepper()).isEqualTo(PEPPER);
            assertThat(context.getBean(ApiKeyFormat.class).getPrefix()).isEqualTo("sk_test");
        });
    }

    @Test
    void propertiesNeverShowThePepper() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER).run(context ->
                assertThat(context.getBean(ApiKeyProperties.class).toString()).doesNotContain(PEPPER));
    }

    @Test
    void selectsTheConfiguredHasherFormatAndArgon2Cost() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER, "api-key.hasher.type=bcrypt",
                "api-key.hasher.bcrypt.cost=5", "api-key.prefix=sk_live", "api-key.separator=.").run(context -> {
                    assertThat(context.getBean(ApiKeyHasher.class)).isInstanceOfSatisfying(BCryptApiKeyHasher.class,
                            hasher -> assertThat(hasher.getCost()).isEqualTo(5));
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    assertThat(service.create(NewApiKey.named("k")).plaintext()).startsWith("sk_live.");
                });
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER, "api-key.hasher.type=hmac-sha256")
                .run(context -> assertThat(context.getBean(ApiKeyHasher.class))
                        .isInstanceOf(HmacSha256ApiKeyHasher.class));
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER).run(context ->
                assertThat(((Argon2ApiKeyHasher) context.getBean(ApiKeyHasher.class)).getCost())
                        .isEqualTo(new Argon2Cost(1024, 1, 1)));
    }

    @Test
    void withoutJdbcJpaOrTransactionsOnTheClassPathKeysLiveInMemory(CapturedOutput output) {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(ApiKeyJpaEntityAutoConfiguration.class,
                        ApiKeyJpaAuditEntityAutoConfiguration.class,
                        ApiKeyJpaAutoConfiguration.class, ApiKeyAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("javax.sql", "jakarta.persistence", "org.hibernate",
                        "org.springframework.jdbc", "org.springframework.orm", "org.springframework.transaction",
                        "org.springframework.data.jpa", "org.springframework.boot.jdbc", "org.springframework.boot.sql",
                        "org.springframework.boot.hibernate"))
                .withPropertyValues("api-key.pepper=" + PEPPER, "api-key.hasher.type=hmac-sha256")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(ApiKeyStore.class)).isInstanceOf(InMemoryApiKeyStore.class);
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    CreatedApiKey created = service.create(NewApiKey.named("in memory"));
                    service.deactivate(created.apiKey().getId());
                    assertThat(service.get(created.apiKey().getId()).isActive()).isFalse();
                });
        assertThat(output).contains("API keys are kept in memory").contains("spring-boot-starter-data-jpa");
    }

    @Test
    void bcryptWithoutItsLibraryFailsStartUpSayingWhatToAdd() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER, "api-key.hasher.type=bcrypt")
                .withClassLoader(new FilteredClassLoader("at.favre.lib.crypto.bcrypt"))
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("at.favre.lib:bcrypt"));
    }

    @Test
    void anInvalidFormatFailsStartUpWithTheReason() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER, "api-key.prefix=ak_v1", "api-key.separator=_")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("must not contain the separator"));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBeans() {
        contextRunner.withUserConfiguration(OwnBeans.class).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(ApiKeyStore.class)).isSameAs(context.getBean(OwnBeans.class).store);
            assertThat(context.getBean(ApiKeyHasher.class)).isSameAs(context.getBean(OwnBeans.class).hasher);
            assertThat(context.getBean(ApiKeyFormat.class).getPrefix()).isEqualTo("own");
            assertThat(context).doesNotHaveBean(JpaApiKeyStore.class);
        });
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER).withUserConfiguration(OwnService.class)
                .run(context -> assertThat(context.getBean(ApiKeyService.class))
                        .isSameAs(context.getBean(OwnService.class).service));
    }

    @Test
    void usesTheApplicationsClock() {
        Instant fixed = Instant.parse("2030-01-01T00:00:00Z");
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER)
                .withBean(Clock.class, () -> Clock.fixed(fixed, ZoneOffset.UTC))
                .run(context -> assertThat(context.getBean(ApiKeyService.class).create(NewApiKey.named("k"))
                        .apiKey().getCreatedAt()).isEqualTo(fixed));
    }

    @Test
    void fallsBackToAnInMemoryStoreAndWarnsWithoutJpa(CapturedOutput output) {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER)
                .withClassLoader(new FilteredClassLoader(EntityManagerFactory.class,
                        LocalContainerEntityManagerFactoryBean.class))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(ApiKeyStore.class).isInstanceOf(InMemoryApiKeyStore.class);
                    assertThat(context).doesNotHaveBean(ApiKeySchemaInitializer.class);
                    assertThat(output).contains("API keys are kept in memory and lost when the application stops");
                });
    }

    @Test
    void anAuditTrailInMemoryBesideTheApplicationsOwnKeyStoreIsAWarning(CapturedOutput output) {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER)
                .withClassLoader(new FilteredClassLoader(EntityManagerFactory.class,
                        LocalContainerEntityManagerFactoryBean.class))
                .withBean(ApiKeyStore.class, ApiKeyAutoConfigurationTests::applicationsOwnStore)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(ApiKeyEventStore.class).isInstanceOf(InMemoryApiKeyEventStore.class);
                    assertThat(output).contains("but their audit trail (api-key.audit.enabled) is kept in memory")
                            .contains("Define an ApiKeyEventStore bean");
                });
    }

    @Test
    void anAuditTrailInMemoryBesideKeysInMemoryIsNoWarning(CapturedOutput output) {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER)
                .withClassLoader(new FilteredClassLoader(EntityManagerFactory.class,
                        LocalContainerEntityManagerFactoryBean.class))
                .run(context -> {
                    assertThat(context).getBean(ApiKeyEventStore.class).isInstanceOf(InMemoryApiKeyEventStore.class);
                    assertThat(output).doesNotContain("audit trail");
                });
    }

    @Test
    void anAuditTrailInJpaBesideTheApplicationsOwnKeyStoreSaysWhenTheyShareTransactions(CapturedOutput output) {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER)
                .withBean(ApiKeyStore.class, ApiKeyAutoConfigurationTests::applicationsOwnStore)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context).getBean(ApiKeyEventStore.class).isInstanceOf(JpaApiKeyEventStore.class);
                    assertThat(output).contains("and their audit trail by JPA: a change and its event commit "
                            + "together only if");
                });
        assertThat(output.toString().split("audit trail by JPA", -1)).hasSize(2);
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER).run(context ->
                assertThat(context).getBean(ApiKeyStore.class).isInstanceOf(JpaApiKeyStore.class));
        assertThat(output.toString().split("audit trail by JPA", -1)).as("said for the JPA key store").hasSize(2);
    }

    /** A key store that is neither of the starter's, in front of one in memory. */
    private static ApiKeyStore applicationsOwnStore() {
        return new DelegatingStore(new InMemoryApiKeyStore());
    }

    @Test
    void initializeSchemaNeverCreatesNoTable() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER, "api-key.jdbc.initialize-schema=never")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ApiKeySchemaInitializer.class);
                    assertThatExceptionOfType(BadSqlGrammarException.class).isThrownBy(() -> context
                            .getBean(JdbcTemplate.class).queryForList("SELECT * FROM api_keys"));
                });
    }

    @Test
    void aConfiguredTableNameIsCreatedAndUsed() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER, "api-key.jdbc.table-name=service_credentials")
                .run(context -> {
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    CreatedApiKey created = service.create(NewApiKey.named("renamed"));
                    JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
                    assertThat(jdbc.queryForObject("SELECT name FROM service_credentials", String.class))
                            .isEqualTo("renamed");
                    assertThatExceptionOfType(BadSqlGrammarException.class)
                            .isThrownBy(() -> jdbc.queryForList("SELECT * FROM api_keys"));
                    ApiKey verified = service.verify(created.plaintext());
                    assertThat(verified.getLastUsedAt()).isNotNull();
                });
    }

    @Test
    void anInvalidTableNameFailsStartUp() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER, "api-key.jdbc.table-name=keys; drop table x")
                .run(context -> assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("api-key.jdbc.table-name"));
    }

    @Test
    void theJpaStoreWaitsForTheSchemaInitializer() {
        contextRunner.withPropertyValues("api-key.pepper=" + PEPPER).run(context -> {
            String[] entityManagerFactories = context.getBeanNamesForType(EntityManagerFactory.class);
            assertThat(entityManagerFactories).isNotEmpty();
            assertThat(context.getBeanFactory().getBeanDefinition(entityManagerFactories[0]).getDependsOn())
                    .contains("apiKeySchemaInitializer");
        });
    }

    private static FailureAnalysis analyze(Throwable failure) throws IOException {
        String factories = new ClassPathResource("META-INF/spring.factories").getContentAsString(UTF_8);
        assertThat(factories).contains(FailureAnalyzer.class.getName())
                .contains(InvalidPepperFailureAnalyzer.class.getName());
        return new InvalidPepperFailureAnalyzer().analyze(failure);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnBeans {

        final ApiKeyStore store = new InMemoryApiKeyStore();
        final ApiKeyHasher hasher = new HmacSha256ApiKeyHasher("own-pepper");

        @Bean
        ApiKeyStore ownStore() {
            return store;
        }

        @Bean
        ApiKeyHasher ownHasher() {
            return hasher;
        }

        @Bean
        ApiKeyFormat ownFormat() {
            return new ApiKeyFormat("own", "-");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnService {

        final ApiKeyService service = new ApiKeyService(new InMemoryApiKeyStore(),
                new HmacSha256ApiKeyHasher("own-pepper"));

        @Bean
        ApiKeyService ownService() {
            return service;
        }
    }
}
