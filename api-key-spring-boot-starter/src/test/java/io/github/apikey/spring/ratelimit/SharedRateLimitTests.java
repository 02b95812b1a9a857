package io.github.apikey.spring.ratelimit;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.testing.TestRedis;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one Redis (the server on 127.0.0.1:6379, under a key prefix of this run's own) share one budget
 * per key: within a window, exactly the limit is accepted across both, then both answer 429 until the window ends.
 */
class SharedRateLimitTests {

    private static final RateLimit FIVE_PER_SIX_SECONDS = new RateLimit("requests", 5, Duration.ofSeconds(6));

    private final HttpClient http = HttpClient.newHttpClient();
    private final String prefix = "api-key-it:" + UUID.randomUUID() + ":";
    private TestRedis redis;
    private ConfigurableApplicationContext instanceA;
    private ConfigurableApplicationContext instanceB;

    @AfterEach
    void stop() {
        if (instanceA != null) {
            StringRedisTemplate template = new StringRedisTemplate(instanceA.getBean(RedisConnectionFactory.class));
            Set<String> keys = template.keys(prefix + "*");
            if (keys != null && !keys.isEmpty()) {
                template.delete(keys);
            }
        }
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {instanceA, instanceB}) {
            if (context != null) {
                context.close();
            }
        }
        if (redis != null) {
            redis.close();
        }
    }

    @Test
    void bothInstancesAcceptExactlyTheLimitPerWindowThenRefuseUntilItEnds() throws Exception {
        redis = TestRedis.start();
        String database = "jdbc:h2:mem:shared-rate-limit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        instanceA = start(database);
        instanceB = start(database);
        CreatedApiKey key = instanceA.getBean(ApiKeyService.class).create(NewApiKey.named("shared")
                .withRateLimits(List.of(FIVE_PER_SIX_SECONDS)));

        List<HttpResponse<String>> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(get(i % 2 == 0 ? instanceA : instanceB, key.plaintext()));
        }

        List<HttpResponse<String>> accepted = answers.stream().filter(answer -> answer.statusCode() == 200).toList();
        assertThat(accepted).hasSize(5);
        // One budget: what is left counts down across both instances.
        assertThat(accepted).extracting(answer -> answer.headers().firstValue("RateLimit").orElseThrow()
                .replaceAll(";t=\\d+$", "")).containsExactly("\"requests\";r=4", "\"requests\";r=3",
                "\"requests\";r=2", "\"requests\";r=1", "\"requests\";r=0");
        assertThat(answers.subList(5, 10)).allSatisfy(answer -> {
            assertThat(answer.statusCode()).isEqualTo(429);
            assertThat(answer.body()).contains("API key rate limit exceeded");
            assertThat(answer.headers().firstValue("RateLimit-Policy")).hasValue("\"requests\";q=5;w=6");
        });
        long retryAfter = Long.parseLong(answers.get(9).headers().firstValue("Retry-After").orElseThrow());
        assertThat(retryAfter).isBetween(1L, 6L);

        String bucket = prefix + key.apiKey().getId() + ":requests=5/PT6S";
        StringRedisTemplate template = new StringRedisTemplate(instanceA.getBean(RedisConnectionFactory.class));
        assertThat(template.keys(prefix + "*")).containsExactly(bucket);
        assertThat(template.getExpire(bucket)).as("seconds until Redis drops the bucket").isBetween(1L, 8L);

        Thread.sleep(Duration.ofSeconds(retryAfter).plusMillis(200).toMillis());

        HttpResponse<String> again = get(instanceB, key.plaintext());
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.headers().firstValue("RateLimit").orElseThrow()).startsWith("\"requests\";r=4;");
        assertThat(get(instanceA, key.plaintext()).headers().firstValue("RateLimit").orElseThrow())
                .startsWith("\"requests\";r=3;");
    }

    private HttpResponse<String> get(ConfigurableApplicationContext instance, String key) throws Exception {
        int port = ((WebServerApplicationContext) instance).getWebServer().getPort();
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/work"))
                .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
    }

    private ConfigurableApplicationContext start(String database) {
        List<String> properties = new ArrayList<>(List.of("spring.datasource.url=" + database,
                "api-key.jdbc.initialize-schema=always", "spring.jpa.hibernate.ddl-auto=none",
                "api-key.pepper=shared-rate-limit-pepper-0123456789ab", "api-key.hasher.type=hmac-sha256",
                "api-key.rate-limit.store=redis", "api-key.rate-limit.redis-key-prefix=" + prefix,
                "server.port=0", "spring.main.banner-mode=off"));
        properties.addAll(redis.springProperties());
        return new SpringApplicationBuilder(SharedApplication.class).web(WebApplicationType.SERVLET)
                .properties(properties.toArray(String[]::new)).run();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(WorkController.class)
    static class SharedApplication {
    }

    @RestController
    static class WorkController {

        @GetMapping("/work")
        String work() {
            return "done";
        }
    }
}
