package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.ratelimit.Bucket4jRateLimiter;
import io.github.apikey.core.ratelimit.RateLimitDecision;
import io.github.apikey.core.ratelimit.RateLimitPolicy;
import io.github.apikey.core.ratelimit.RateLimiter;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.service.VerificationContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code api-key.rate-limit.*}: bound into the service's policy and limiter, and checked when bound with the rules
 * of a key's own limits, so that a mistake fails start-up naming the property.
 */
class RateLimitConfigurationTests {

    private static final String PEPPER = "rate-limit-configuration-pepper-0123456789";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApiKeyRedisRateLimitAutoConfiguration.class,
                    ApiKeyAutoConfiguration.class))
            .withPropertyValues("api-key.pepper=" + PEPPER, "api-key.hasher.type=hmac-sha256");

    @Test
    void defaultsAndScopeLimitsReachTheServicesPolicy() {
        withProperties(contextRunner,
                "api-key.rate-limit.default[0].name=requests", "api-key.rate-limit.default[0].limit=100",
                "api-key.rate-limit.default[0].duration=1m",
                "api-key.rate-limit.default[1].name=daily", "api-key.rate-limit.default[1].limit=5000",
                "api-key.rate-limit.default[1].duration=1d",
                "api-key.rate-limit.scopes[reports:read][0].name=reports",
                "api-key.rate-limit.scopes[reports:read][0].limit=10",
                // A plain number counts seconds, not Spring's usual milliseconds: windows are seconds at least.
                "api-key.rate-limit.scopes[reports:read][0].duration=90").run(context -> {
                    assertThat(context).hasNotFailed();
                    RateLimitPolicy policy = context.getBean(RateLimitPolicy.class);
                    assertThat(policy.getDefaults()).containsExactly(
                            new RateLimit("requests", 100, Duration.ofMinutes(1)),
                            new RateLimit("daily", 5000, Duration.ofDays(1)));
                    assertThat(policy.getByScope()).containsOnlyKeys("reports:read");
                    assertThat(policy.limitsFor(key(List.of("reports:read"))))
                            .containsExactly(new RateLimit("reports", 10, Duration.ofSeconds(90)));
                    assertThat(context.getBean(RateLimiter.class)).isInstanceOf(Bucket4jRateLimiter.class);

                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    CreatedApiKey created = service.create(NewApiKey.named("defaulted"));
                    assertThat(service.authenticate(created.plaintext(), VerificationContext.NONE).rateLimit()
                            .limits()).extracting(RateLimit::name).containsExactly("requests", "daily");
                });
    }

    /** The README's example binds as it says, the bracketed scope with a colon included. */
    @Test
    void theReadmeExampleBinds() throws Exception {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("").toAbsolutePath().getParent()
                .resolve("README.md"));
        String section = readme.substring(readme.indexOf("### Rate limits"));
        int start = section.indexOf("```yaml") + "```yaml".length();
        String yaml = section.substring(start, section.indexOf("```", start));
        List<org.springframework.core.env.PropertySource<?>> sources = new org.springframework.boot.env
                .YamlPropertySourceLoader().load("readme", new org.springframework.core.io.ByteArrayResource(
                        yaml.getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        contextRunner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(sources.get(0))).run(context -> {
                    RateLimitPolicy policy = context.getBean(RateLimitPolicy.class);
                    assertThat(policy.getDefaults()).containsExactly(
                            new RateLimit("requests", 100, Duration.ofMinutes(1)),
                            new RateLimit("daily", 10000, Duration.ofDays(1)));
                    assertThat(policy.limitsFor(key(List.of("reports:read", "other"))))
                            .containsExactly(new RateLimit("reports", 10, Duration.ofMinutes(1)));
                    assertThat(context.getBean(RateLimiter.class)).isInstanceOf(Bucket4jRateLimiter.class);
                });
    }

    @Test
    void withoutSettingsOnlyKeysWithLimitsOfTheirOwnAreLimited() {
        contextRunner.run(context -> {
            ApiKeyService service = context.getBean(ApiKeyService.class);
            CreatedApiKey free = service.create(NewApiKey.named("free"));
            assertThat(service.authenticate(free.plaintext(), VerificationContext.NONE).rateLimit()).isNull();
            assertThat(context.getBean(ApiKeyProperties.class).getRateLimit().getStore())
                    .isEqualTo(ApiKeyProperties.RateLimitStore.MEMORY);
            assertThat(context.getBean(ApiKeyProperties.class).getRateLimit().getOnStoreFailure())
                    .isEqualTo(ApiKeyProperties.RateLimitStoreFailure.LOCAL);
        });
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "default[0].name=Requests      | api-key.rate-limit.default names must match ^[a-z][a-z0-9_-]{0,31}$, but 'Requests' does not",
            "default[0].limit=0            | api-key.rate-limit.default limit must be at least 1, was 0",
            "default[0].duration=500ms     | api-key.rate-limit.default duration must be from PT1S to P366D, was PT0.5S",
            "default[0].duration=400d      | api-key.rate-limit.default duration must be from PT1S to P366D, was PT9600H",
            "default[1].name=requests      | api-key.rate-limit.default names must be unique, but 'requests' appears twice"})
    void aLimitThatAKeyCouldNotHaveFailsStartUpNamingTheProperty(String change, String message) {
        List<String> properties = new java.util.ArrayList<>(List.of("api-key.rate-limit.default[0].name=requests",
                "api-key.rate-limit.default[0].limit=10", "api-key.rate-limit.default[0].duration=1m",
                "api-key.rate-limit.default[1].limit=10", "api-key.rate-limit.default[1].duration=1h",
                "api-key.rate-limit.default[1].name=hourly"));
        properties.add("api-key.rate-limit." + change);

        contextRunner.withPropertyValues(properties.toArray(String[]::new)).run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "default[0].name=requests           | api-key.rate-limit.default[0] needs a name, a limit and a duration",
            "scopes[reports:read][0].limit=5    | api-key.rate-limit.scopes[reports:read][0] needs a name, a limit and a duration",
            "scopes.Reports[0].name=reports     | api-key.rate-limit.scopes keys must be scopes matching",
            "redis-timeout=0s                   | api-key.rate-limit.redis-timeout must be a positive duration",
            "redis-key-prefix=                  | api-key.rate-limit.redis-key-prefix must not be empty"})
    void anIncompleteOrWrongSettingFailsStartUpNamingTheProperty(String setting, String message) {
        withProperties(contextRunner, "api-key.rate-limit." + setting).run(context ->
                assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(message));
    }

    /** Counting per instance where a shared budget was asked for would silently multiply every limit. */
    @Test
    void redisWithoutWhatItNeedsFailsStartUpSayingWhatToAdd() {
        contextRunner.withPropertyValues("api-key.rate-limit.store=redis").run(context ->
                assertThat(context.getStartupFailure()).rootCause()
                        .hasMessageContaining("api-key.rate-limit.store=redis needs Spring Data Redis with Lettuce")
                        .hasMessageContaining("com.bucket4j:bucket4j_jdk17-lettuce"));
        contextRunner.withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
                .withClassLoader(new FilteredClassLoader("io.github.bucket4j.redis"))
                .withPropertyValues("api-key.rate-limit.store=redis").run(context ->
                        assertThat(context.getStartupFailure()).rootCause()
                                .hasMessageContaining("com.bucket4j:bucket4j_jdk17-lettuce"));
    }

    /** A {@code @WebMvcTest} slice with the application's properties, whose service is the test's own. */
    @Test
    void redisSettingsDoNotFailAContextThatDoesNotUseTheStartersService() {
        contextRunner.withUserConfiguration(OwnService.class).withPropertyValues("api-key.rate-limit.store=redis")
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(ApiKeyService.class));
    }

    @Test
    void backsOffForTheApplicationsOwnLimiterAndPolicy() {
        contextRunner.withUserConfiguration(OwnRateLimiting.class)
                .withPropertyValues("api-key.rate-limit.default[0].name=requests",
                        "api-key.rate-limit.default[0].limit=1", "api-key.rate-limit.default[0].duration=1h")
                .run(context -> {
                    assertThat(context.getBean(RateLimiter.class)).isSameAs(OwnRateLimiting.LIMITER);
                    assertThat(context.getBean(RateLimitPolicy.class)).isSameAs(OwnRateLimiting.POLICY);
                    ApiKeyService service = context.getBean(ApiKeyService.class);
                    CreatedApiKey created = service.create(NewApiKey.named("own"));
                    assertThat(service.authenticate(created.plaintext(), VerificationContext.NONE).rateLimit()
                            .governing().name()).isEqualTo("own");
                });
    }

    /** Split at the first '=' only: map keys such as {@code [reports:read]} hold a colon. */
    private static ApplicationContextRunner withProperties(ApplicationContextRunner runner, String... properties) {
        java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (String property : properties) {
            map.put(property.substring(0, property.indexOf('=')), property.substring(property.indexOf('=') + 1));
        }
        return runner.withInitializer(context -> context.getEnvironment().getPropertySources()
                .addFirst(new org.springframework.core.env.MapPropertySource("rate-limit-test", map)));
    }

    private static ApiKey key(List<String> scopes) {
        return ApiKey.builder().id(UUID.randomUUID()).keyId("0123456789abcdef").keyHash("unused")
                .secretFirst("abcd").secretLast("wxyz").createdAt(Instant.now()).name("k").scopes(scopes).build();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnService {

        @Bean
        ApiKeyService ownService() {
            return ApiKeyService.builder(new io.github.apikey.core.store.InMemoryApiKeyStore(),
                    new io.github.apikey.core.hash.HmacSha256ApiKeyHasher(PEPPER)).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRateLimiting {

        static final RateLimit OWN = new RateLimit("own", 7, Duration.ofMinutes(1));
        static final RateLimitPolicy POLICY = new RateLimitPolicy(List.of(OWN), java.util.Map.of());
        static final RateLimiter LIMITER = (keyId, limits) -> new RateLimitDecision(true, limits, limits.get(0), 6,
                Duration.ofMinutes(1), Duration.ZERO);

        @Bean
        RateLimitPolicy ownPolicy() {
            return POLICY;
        }

        @Bean
        RateLimiter ownLimiter() {
            return LIMITER;
        }
    }
}
