package io.github.apikey.spring.autoconfigure;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A misconfigured application fails to start before its port opens, and Spring Boot's failure report names the
 * property, what is wrong with it and, for choices, the values it may take.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationFailureTests {

    private static final String PEPPER = "configuration-failure-pepper-0123456789abcdef";

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "api-key.jdbc.initialize-schema=sometimes | api-key.jdbc.initialize-schema | NEVER",
            "api-key.cache.ttl=0s                     | api-key.cache.ttl must be a positive duration | 0S",
            "api-key.cache.maximum-size=0             | api-key.cache.maximum-size must be at least 1 | was 0",
            "api-key.last-used.flush-interval=-5s     | api-key.last-used.flush-interval must be a positive | PT-5S",
            "api-key.prefix=has space                 | api-key.prefix is invalid | printable ASCII without spaces",
            "api-key.separator=x                      | api-key.separator is invalid | must not contain letters",
            "api-key.hasher.argon2.parallelism=0      | api-key.hasher.argon2 is invalid | parallelism",
            "api-key.hasher.bcrypt.cost=3             | api-key.hasher.bcrypt.cost must be between 4 and 31 | was 3",
            "api-key.hasher.max-concurrent=0          | api-key.hasher.max-concurrent must be at least 1 | was 0",
            "api-key.hashing.max-concurrent=0         | api-key.hasher.max-concurrent must be at least 1 | was 0",
            "api-key.hasher.type=scrypt               | api-key.hasher.type | HMAC_SHA256",
            "api-key.jdbc.table-name=keys;drop        | api-key.jdbc.table-name must be a plain SQL identifier | keys;drop",
            "api-key.jdbc.platform=oracle             | api-key.jdbc.platform must be one of h2, postgresql, mysql | oracle",
            "api-key.web.base-path=api-keys           | api-key.web.base-path must start with '/' | api-keys",
            "api-key.admin-scope=Admin                | api-key.admin-scope must match | Admin",
            "api-key.cache.invalidation=memcached     | api-key.cache.invalidation | REDIS",
            "api-key.expiry-warning=-1d               | api-key.expiry-warning must be zero or a positive duration | PT-24H",
            "api-key.metadata.max-size=1B             | api-key.metadata.max-size must be from 2B | was 1B",
            "api-key.metadata.max-size=3GB            | api-key.metadata.max-size must be from 2B | was 3221225472B",
            "api-key.rotation.max-grace-period=-1h    | api-key.rotation.max-grace-period must be zero or a positive | PT-1H",
            "api-key.rate-limit.store=memcached       | api-key.rate-limit.store | REDIS",
            "api-key.rate-limit.on-store-failure=drop | api-key.rate-limit.on-store-failure | REJECT",
            "api-key.rate-limit.default[0].limit=5    | api-key.rate-limit.default[0] needs a name, a limit and a duration | duration=1m",
            "api-key.rate-limit.redis-timeout=-1s     | api-key.rate-limit.redis-timeout must be a positive duration | PT-1S",
            "api-key.audit.retention=-1d              | api-key.audit.retention must be zero or a positive duration | PT-24H",
            "api-key.audit.purge-cron=every night     | api-key.audit.purge-cron must be a cron expression | every night"})
    void aWrongValueFailsStartUpNamingThePropertyBeforeThePortOpens(String property, String problem, String detail,
                                                                      CapturedOutput output) {
        assertThatThrownBy(() -> start(property).close()).isNotNull();

        assertThat(output).contains("APPLICATION FAILED TO START").contains(problem).contains(detail)
                .doesNotContain("Tomcat started on port");
    }

    @ParameterizedTest
    @CsvSource({"ak_v1-0123456789abcdef-tooShortSecret", "sk_live-0123456789abcdef-"
            + "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789ab"})
    void aMalformedBootstrapKeyFailsBeforeThePortOpensWithoutRepeatingIt(String adminKey, CapturedOutput output) {
        assertThatThrownBy(() -> start("api-key.bootstrap.admin-key=" + adminKey).close()).isNotNull();

        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("api-key.bootstrap.admin-key is not a full API key of this application's format "
                        + "(ak_v1-<16 lowercase hex characters>-<64 letters and digits>)")
                .doesNotContain(adminKey.substring(adminKey.lastIndexOf('-') + 1))
                .doesNotContain("Tomcat started on port");
    }

    private static org.springframework.context.ConfigurableApplicationContext start(String property) {
        List<String> properties = new ArrayList<>(List.of("api-key.pepper=" + PEPPER, "server.port=0",
                "spring.datasource.generate-unique-name=true", "spring.main.banner-mode=off",
                "api-key.hasher.type=hmac-sha256"));
        properties.add(property);
        return new SpringApplicationBuilder(MisconfiguredApplication.class).web(WebApplicationType.SERVLET)
                .properties(properties.toArray(String[]::new)).run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class MisconfiguredApplication {
    }
}
