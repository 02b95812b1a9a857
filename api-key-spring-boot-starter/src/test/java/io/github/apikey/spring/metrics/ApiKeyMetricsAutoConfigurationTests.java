package io.github.apikey.spring.metrics;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.observation.VerificationObserver;
import io.github.apikey.core.observation.VerificationOutcome;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.service.VerificationContext;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.DelegatingStore;
import io.github.apikey.spring.autoconfigure.ApiKeyAutoConfiguration;
import io.github.apikey.spring.autoconfigure.ApiKeyMetricsAutoConfiguration;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Micrometer for API keys: meters move as each verification outcome says, key ids appear as tags only when asked,
 * the observation is recorded, and everything backs off without Micrometer or a registry.
 */
class ApiKeyMetricsAutoConfigurationTests {

    private static final String PEPPER = "metrics-test-pepper-0123456789abcdefghij";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApiKeyAutoConfiguration.class,
                    ApiKeyMetricsAutoConfiguration.class))
            .withPropertyValues("api-key.pepper=" + PEPPER, "api-key.hasher.type=hmac-sha256");

    @Configuration(proxyBeanMethods = false)
    static class Registries {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class Observations {

        final List<Observation.Context> contexts = new ArrayList<>();

        @Bean
        TestObservationRegistry observationRegistry() {
            TestObservationRegistry registry = TestObservationRegistry.create();
            registry.observationConfig().observationHandler(new ObservationHandler<>() {
                @Override
                public void onStop(Observation.Context context) {
                    contexts.add(context);
                }

                @Override
                public boolean supportsContext(Observation.Context context) {
                    return true;
                }
            });
            return registry;
        }
    }

    private static double count(MeterRegistry registry, String outcome, String path) {
        Timer timer = registry.find(MicrometerVerificationObserver.METER_NAME).tag("outcome", outcome)
                .tag("path", path).timer();
        return timer == null ? 0 : timer.count();
    }

    private static double total(MeterRegistry registry, String outcome) {
        return registry.find(MicrometerVerificationObserver.METER_NAME).tag("outcome", outcome).timers().stream()
                .mapToDouble(Timer::count).sum();
    }

    /** Runs {@code scenario} and returns the timer counts by outcome that it moved. */
    private static void exercise(ApplicationContext context, Consumer<MeterRegistry> then) {
        ApiKeyService service = context.getBean(ApiKeyService.class);
        CreatedApiKey valid = service.create(NewApiKey.named("valid").withScopes(List.of("read")));
        CreatedApiKey inactive = service.create(NewApiKey.named("inactive").withActive(false));
        CreatedApiKey restricted = service.create(NewApiKey.named("restricted")
                .withAllowedIps(List.of("10.0.0.0/8")).withAllowedOrigins(List.of("https://example.com")));
        CreatedApiKey limited = service.create(NewApiKey.named("limited")
                .withRateLimits(List.of(new RateLimit("requests", 1, Duration.ofHours(1)))));
        CreatedApiKey credits = service.create(NewApiKey.named("credits").withCredits(0L, null));

        service.verify(valid.plaintext(), List.of("read"));
        service.verify(valid.plaintext(), List.of("read"));
        catchThrowable(() -> service.verify(valid.plaintext(), List.of("write")));
        catchThrowable(() -> service.verify(null));
        catchThrowable(() -> service.verify("not-a-key"));
        catchThrowable(() -> service.verify(valid.plaintext().substring(0, valid.plaintext().length() - 2) + "00"));
        catchThrowable(() -> service.verify(inactive.plaintext()));
        catchThrowable(() -> service.verify(restricted.plaintext(), VerificationContext.NONE
                .withClientAddress("192.168.0.1")));
        catchThrowable(() -> service.verify(restricted.plaintext(), VerificationContext.NONE
                .withClientAddress("10.0.0.1").withOrigin("https://elsewhere.example")));
        service.verify(limited.plaintext());
        catchThrowable(() -> service.verify(limited.plaintext()));
        catchThrowable(() -> service.verify(credits.plaintext()));
        then.accept(context.getBean(MeterRegistry.class));
    }

    @Test
    void countsAndTimesEveryVerificationByOutcomeAndPath() {
        contextRunner.withUserConfiguration(Registries.class).run(context -> {
            assertThat(context).hasSingleBean(MicrometerVerificationObserver.class).hasSingleBean(ApiKeyMeters.class);
            exercise(context, registry -> {
                assertThat(count(registry, "valid", "hash")).isEqualTo(2); // valid, limited
                assertThat(count(registry, "valid", "cache")).isEqualTo(1);
                assertThat(count(registry, "insufficient_scope", "cache")).isEqualTo(1);
                assertThat(count(registry, "missing", "none")).isEqualTo(1);
                assertThat(count(registry, "invalid", "none")).isEqualTo(1);
                assertThat(count(registry, "invalid", "hash")).isEqualTo(1);
                assertThat(count(registry, "inactive", "hash")).isEqualTo(1);
                assertThat(count(registry, "address_not_allowed", "hash")).isEqualTo(1);
                assertThat(count(registry, "origin_not_allowed", "cache")).isEqualTo(1);
                assertThat(count(registry, "rate_limited", "cache")).isEqualTo(1);
                assertThat(count(registry, "usage_exceeded", "hash")).isEqualTo(1);
                assertThat(total(registry, "valid")).isEqualTo(3);
                // Every series exists from the start (a rate can be computed before the first refusal), and
                // none carries a key id.
                assertThat(count(registry, "expired", "cache")).isZero();
                assertThat(registry.find(MicrometerVerificationObserver.METER_NAME).timers())
                        .hasSize(VerificationOutcome.values().length * 4)
                        .allSatisfy(timer -> assertThat(timer.getId().getTag("key.id")).isNull());
                assertThat(registry.find(MicrometerVerificationObserver.METER_NAME).tag("outcome", "valid")
                        .tag("path", "hash").timer().totalTime(java.util.concurrent.TimeUnit.NANOSECONDS))
                        .isPositive();
            });
        });
    }

    @Test
    void tagsKeyIdsOnlyWhenAskedAndOnlyOfKeysWhoseSecretMatched() {
        contextRunner.withUserConfiguration(Registries.class).withPropertyValues("api-key.metrics.key-id-tag=true")
                .run(context -> {
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    CreatedApiKey valid = service.create(NewApiKey.named("valid"));
                    String keyId = valid.apiKey().getKeyId();
                    service.verify(valid.plaintext());
                    String unknown = service.getFormat().format(service.getFormat().newKeyId(),
                            service.getFormat().newSecret());
                    catchThrowable(() -> service.verify(unknown));
                    MeterRegistry registry = context.getBean(MeterRegistry.class);

                    assertThat(registry.find(MicrometerVerificationObserver.METER_NAME).tag("key.id", keyId)
                            .tag("outcome", "valid").timer().count()).isEqualTo(1);
                    assertThat(registry.find(MicrometerVerificationObserver.METER_NAME).tag("outcome", "invalid")
                            .timer().getId().getTag("key.id")).isEqualTo("none");
                    assertThat(registry.find(MicrometerVerificationObserver.METER_NAME).timers())
                            .allSatisfy(timer -> assertThat(timer.getId().getTag("key.id")).isNotNull());
                });
    }

    @Test
    void recordsAnObservationPerVerificationWithoutSecrets() {
        contextRunner.withUserConfiguration(Registries.class, Observations.class).run(context -> {
            assertThat(context).hasSingleBean(ObservationVerificationObserver.class);
            ApiKeyService service = context.getBean(ApiKeyService.class);
            CreatedApiKey created = service.create(NewApiKey.named("observed").withScopes(List.of("read")));
            service.verify(created.plaintext());
            catchThrowable(() -> service.verify(created.plaintext(), List.of("write")));
            TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);

            TestObservationRegistryAssert.assertThat(observations)
                    .hasNumberOfObservationsWithNameEqualTo("apikey.verification", 2)
                    .hasAnObservation(observation -> observation.hasNameEqualTo("apikey.verification")
                            .hasContextualNameEqualTo("api key verification")
                            .hasLowCardinalityKeyValue("outcome", "valid").hasLowCardinalityKeyValue("path", "hash")
                            .hasHighCardinalityKeyValue("key.id", created.apiKey().getKeyId())
                            .doesNotHaveError())
                    .hasAnObservation(observation -> observation
                            .hasLowCardinalityKeyValue("outcome", "insufficient_scope")
                            .hasLowCardinalityKeyValue("path", "cache"));
            String secret = created.plaintext().substring(created.plaintext().lastIndexOf('-') + 1);
            assertThat(context.getBean(Observations.class).contexts).hasSize(2).allSatisfy(stopped -> {
                String everything = stopped.getAllKeyValues() + " " + stopped.getName() + " "
                        + stopped.getContextualName() + " " + stopped;
                assertThat(everything).doesNotContain(secret).doesNotContain(PEPPER)
                        .doesNotContain(created.apiKey().getKeyHash());
            });
            // The observation's own timer would repeat apikey.verifications: it is filtered out.
            assertThat(context.getBean(MeterRegistry.class).find("apikey.verification").meters()).isEmpty();
        });
    }

    /** A store failing with an Error (not an exception) still stops the observation and leaves no scope open. */
    @Test
    void anErrorInsideAVerificationStopsItsObservationAndClosesItsScope() {
        ApiKeyStore failingLookUps = new DelegatingStore(new InMemoryApiKeyStore()) {
            @Override
            public Optional<ApiKey> findByKeyId(String keyId) {
                throw new StackOverflowError("deep in a driver");
            }
        };
        contextRunner.withUserConfiguration(Registries.class, Observations.class)
                .withBean(ApiKeyStore.class, () -> failingLookUps).run(context -> {
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    CreatedApiKey created = service.create(NewApiKey.named("observed"));
                    TestObservationRegistry observations = context.getBean(TestObservationRegistry.class);

                    assertThat(catchThrowable(() -> service.verify(created.plaintext())))
                            .isInstanceOf(StackOverflowError.class);
                    assertThat(observations.getCurrentObservation()).isNull();
                    assertThat(context.getBean(Observations.class).contexts).as("stopped observations")
                            .anySatisfy(stopped -> assertThat(stopped.getLowCardinalityKeyValue("outcome").getValue())
                                    .isEqualTo("error"));
                });
    }

    @Test
    void observationsCanBeTurnedOffAndMetricsToo() {
        contextRunner.withUserConfiguration(Registries.class, Observations.class)
                .withPropertyValues("api-key.observations.enabled=false", "api-key.metrics.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(ObservationVerificationObserver.class)
                            .doesNotHaveBean(MicrometerVerificationObserver.class)
                            .doesNotHaveBean(ApiKeyMeters.class);
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    service.verify(service.create(NewApiKey.named("quiet")).plaintext());
                    TestObservationRegistryAssert.assertThat(context.getBean(TestObservationRegistry.class))
                            .doesNotHaveAnyObservation();
                    assertThat(context.getBean(MeterRegistry.class).find("apikey.verifications").meters()).isEmpty();
                });
    }

    @Test
    void backsOffWithoutARegistryAndWithoutMicrometer() {
        contextRunner.run(context -> assertThat(context).hasNotFailed()
                .doesNotHaveBean(MicrometerVerificationObserver.class).doesNotHaveBean(ApiKeyMeters.class)
                .doesNotHaveBean(ObservationVerificationObserver.class));
        contextRunner.withUserConfiguration(Registries.class)
                .withClassLoader(new FilteredClassLoader("io.micrometer"))
                .run(context -> {
                    assertThat(context).hasNotFailed().doesNotHaveBean(MicrometerVerificationObserver.class)
                            .doesNotHaveBean(ObservationVerificationObserver.class);
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    service.verify(service.create(NewApiKey.named("plain")).plaintext());
                });
    }

    @Test
    void anApplicationsObserverIsUsedBesideTheStartersAndItsOwnMicrometerObserverReplacesTheStarters() {
        List<VerificationOutcome> seen = new ArrayList<>();
        contextRunner.withUserConfiguration(Registries.class)
                .withBean("auditObserver", VerificationObserver.class,
                        () -> () -> (outcome, path, keyId) -> seen.add(outcome))
                .withBean(MicrometerVerificationObserver.class,
                        () -> new MicrometerVerificationObserver(new SimpleMeterRegistry(), true))
                .run(context -> {
                    assertThat(context).getBeans(VerificationObserver.class).hasSize(2);
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    service.verify(service.create(NewApiKey.named("mine")).plaintext());
                    assertThat(seen).containsExactly(VerificationOutcome.VALID);
                    // The starter's observer backed off, so the context's registry saw nothing.
                    assertThat(context.getBean(MeterRegistry.class).find("apikey.verifications").meters())
                            .isEmpty();
                });
    }

    @Test
    void reportsTheCacheTheHashLimiterAndTheLastUsedRecorder() {
        contextRunner.withUserConfiguration(Registries.class).run(context -> {
            ApiKeyService service = context.getBean(ApiKeyService.class);
            CreatedApiKey created = service.create(NewApiKey.named("cached"));
            service.verify(created.plaintext());
            service.verify(created.plaintext());
            service.verify(created.plaintext());
            service.deactivate(created.apiKey().getId());
            // Spring Boot's MetricsAutoConfiguration binds every MeterBinder bean; this runner has none of it.
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            context.getBean(ApiKeyMeters.class).bindTo(registry);

            assertThat(registry.get("apikey.cache.gets").tag("result", "hit").functionCounter().count())
                    .isEqualTo(2);
            assertThat(registry.get("apikey.cache.gets").tag("result", "miss").functionCounter().count())
                    .isEqualTo(1);
            assertThat(registry.get("apikey.cache.hit.ratio").gauge().value()).isEqualTo(2.0 / 3);
            assertThat(registry.get("apikey.cache.invalidations").functionCounter().count()).isEqualTo(1);
            assertThat(registry.get("apikey.cache.size").gauge().value()).isZero();
            assertThat(registry.get("apikey.cache.invalidations.received").functionCounter().count()).isNaN();
            assertThat(registry.get("apikey.hash.slots.max").gauge().value())
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
            assertThat(registry.get("apikey.hash.slots.active").gauge().value()).isZero();
            // One slot for the create's hash and one for the verification that missed the cache.
            assertThat(registry.get("apikey.hash.slot.wait").functionTimer().count()).isEqualTo(2);
            assertThat(registry.get("apikey.hash.slot.refusals").functionCounter().count()).isZero();
            assertThat(registry.get("apikey.lastused.pending").gauge().value()).isEqualTo(1);
            assertThat(registry.get("apikey.lastused.flush.failures").functionCounter().count()).isZero();
            assertThat(registry.get("apikey.lastused.flush.lag").timeGauge().value()).isNotNegative();
            assertThat(registry.getMeters()).extracting(Meter::getId).allSatisfy(id -> assertThat(
                    id.getTags().toString()).doesNotContain(created.plaintext()).doesNotContain(PEPPER));
        });
    }
}
