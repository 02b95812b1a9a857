package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.http.HttpHeaders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The bootstrap admin key as real deployments meet it: the first request after the port opens, restarts after an
 * administrator deleted the key, and two instances starting together on one empty database.
 */
@ExtendWith(OutputCaptureExtension.class)
class AdminBootstrapTests {

    private static final Pattern GENERATED = Pattern.compile("Using generated API key with scope 'api-keys:admin': "
            + "(ak_v1-\\S+)");

    private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
    private TestDatabase database;

    @AfterEach
    void close() throws Exception {
        contexts.forEach(ConfigurableApplicationContext::close);
        if (database != null) {
            database.close();
        }
    }

    @Test
    void theBootstrapKeyIsAcceptedByTheFirstRequestOnceThePortIsOpen() {
        String adminKey = newKey();
        FirstRequest first = new FirstRequest(() -> adminKey);

        contexts.add(web(first, "spring.datasource.url=" + h2(), "api-key.bootstrap.admin-key=" + adminKey));

        assertThat(first.status.get()).as("status of the request sent when the port opened").isEqualTo(200);
    }

    @Test
    void theGeneratedKeyIsLoggedBeforeStartedAndAcceptedByTheFirstRequest(CapturedOutput output) {
        FirstRequest first = new FirstRequest(() -> {
            Matcher logged = GENERATED.matcher(output.getAll());
            return logged.find() ? logged.group(1) : null;
        });

        contexts.add(web(first, "spring.datasource.url=" + h2(), "api-key.bootstrap.generate-admin-key=true"));

        assertThat(first.status.get()).as("status of the request sent when the port opened").isEqualTo(200);
        String log = output.getAll();
        Matcher started = Pattern.compile("Started \\S+ in [0-9.]+ seconds").matcher(log);
        Matcher generated = GENERATED.matcher(log);
        assertThat(started.find()).isTrue();
        assertThat(generated.find()).isTrue();
        assertThat(generated.start()).as("the key is logged before the 'Started' line").isLessThan(started.start());
    }

    @Test
    void theBootstrapKeyIsImportedWithLazyInitializationToo() {
        String adminKey = newKey();

        ConfigurableApplicationContext context = plain(List.of("api-key.hasher.type=hmac-sha256",
                "spring.datasource.url=" + h2(), "spring.main.lazy-initialization=true",
                "api-key.bootstrap.admin-key=" + adminKey));

        assertThat(context.getBean(ApiKeyService.class).verify(adminKey).getName()).isEqualTo("bootstrap-admin");
    }

    @Test
    void aBootstrapKeyDeletedByAnAdministratorStaysDeletedAcrossRestarts() throws Exception {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        String adminKey = newKey();
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(List.of("api-key.hasher.type=hmac-sha256", "api-key.jdbc.initialize-schema=always",
                "api-key.bootstrap.admin-key=" + adminKey));

        ConfigurableApplicationContext first = plain(properties);
        ApiKeyService service = first.getBean(ApiKeyService.class);
        UUID imported = service.verify(adminKey, List.of("api-keys:admin")).getId();
        CreatedApiKey own = service.create(NewApiKey.named("the administrator's own")
                .withScopes(List.of("api-keys:admin")));
        service.delete(imported);
        first.close();

        for (int restart = 1; restart <= 2; restart++) {
            ConfigurableApplicationContext again = plain(properties);
            ApiKeyService restarted = again.getBean(ApiKeyService.class);
            assertThatThrownBy(() -> restarted.verify(adminKey)).as("restart %d", restart)
                    .isInstanceOf(InvalidKeyException.class);
            assertThat(restarted.count(ApiKeyFilter.all())).isEqualTo(1);
            assertThat(restarted.verify(own.plaintext()).getName()).isEqualTo("the administrator's own");
            again.close();
        }
    }

    @Test
    void twoInstancesStartingTogetherOnOneEmptyDatabaseBothStart() throws Exception {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        String adminKey = newKey();
        List<String> properties = new ArrayList<>(database.springProperties());
        // Argon2id: hashing the key takes long enough for both instances to look it up before either stores it.
        properties.addAll(List.of("api-key.hasher.type=argon2", "api-key.hasher.argon2.memory-kib=16384",
                "api-key.jdbc.initialize-schema=always", "api-key.bootstrap.admin-key=" + adminKey,
                "api-key.bootstrap.generate-admin-key=false"));
        CyclicBarrier together = new CyclicBarrier(2);

        // The second instance starts once the first has set up logging: Spring Boot's logging set-up is not made for
        // two applications at the same moment in one JVM ("Unable to find Spring Environment in logger context").
        // The barrier still has both bootstrap at once.
        CountDownLatch firstLoggingReady = new CountDownLatch(1);
        CompletableFuture<ConfigurableApplicationContext> a = CompletableFuture.supplyAsync(
                () -> plain(properties, together, firstLoggingReady));
        CompletableFuture<ConfigurableApplicationContext> b = CompletableFuture.supplyAsync(() -> {
            try {
                firstLoggingReady.await(1, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return plain(properties, together, null);
        });
        contexts.add(a.get(2, TimeUnit.MINUTES));
        contexts.add(b.get(2, TimeUnit.MINUTES));

        ApiKeyService service = contexts.get(0).getBean(ApiKeyService.class);
        assertThat(service.count(ApiKeyFilter.all())).isEqualTo(1);
        assertThat(service.verify(adminKey, List.of("api-keys:admin")).getName()).isEqualTo("bootstrap-admin");
        assertThat(contexts.get(1).getBean(ApiKeyService.class).verify(adminKey).getName())
                .isEqualTo("bootstrap-admin");
    }

    private static String newKey() {
        String keyId = UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        return new ApiKeyFormat().format(keyId, "A".repeat(32) + UUID.randomUUID().toString().replace("-", ""));
    }

    private static String h2() {
        return "jdbc:h2:mem:bootstrap-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    }

    private static ConfigurableApplicationContext web(FirstRequest first, String... properties) {
        List<String> all = new ArrayList<>(List.of("api-key.pepper=bootstrap-pepper-0123456789abcde", "api-key.hasher.type=hmac-sha256",
                "server.port=0", "spring.main.banner-mode=off"));
        all.addAll(List.of(properties));
        return new SpringApplicationBuilder(BootstrapApplication.class).web(WebApplicationType.SERVLET)
                .listeners(first).properties(all.toArray(String[]::new)).run();
    }

    private ConfigurableApplicationContext plain(List<String> properties) {
        ConfigurableApplicationContext context = plain(properties, null, null);
        contexts.add(context);
        return context;
    }

    private static ConfigurableApplicationContext plain(List<String> properties, CyclicBarrier together,
                                                        CountDownLatch loggingReady) {
        List<String> all = new ArrayList<>(List.of("api-key.pepper=bootstrap-pepper-0123456789abcde", "spring.main.banner-mode=off"));
        all.addAll(properties);
        SpringApplicationBuilder builder = new SpringApplicationBuilder(BootstrapApplication.class)
                .web(WebApplicationType.NONE).properties(all.toArray(String[]::new));
        if (together != null) {
            // Defined before any other bean, so both instances leave this point together and bootstrap at once.
            builder.initializers(context -> ((GenericApplicationContext) context).registerBean("startTogether",
                    SmartInitializingSingleton.class, () -> () -> await(together)));
        }
        if (loggingReady != null) {
            builder.listeners((ApplicationListener<ApplicationPreparedEvent>) prepared -> loggingReady.countDown());
        }
        return builder.run();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new IllegalStateException("the other instance did not get this far", e);
        }
    }

    /** Sends one GET to an admin route as soon as the web server has opened its port, before anything else can. */
    static final class FirstRequest implements ApplicationListener<WebServerInitializedEvent> {

        private final java.util.function.Supplier<String> key;
        final AtomicReference<Integer> status = new AtomicReference<>();

        FirstRequest(java.util.function.Supplier<String> key) {
            this.key = key;
        }

        @Override
        public void onApplicationEvent(WebServerInitializedEvent event) {
            String presented = key.get();
            if (presented == null) {
                status.set(-1);
                return;
            }
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                                + event.getWebServer().getPort() + "/api-keys"))
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + presented).timeout(Duration.ofSeconds(30))
                        .GET().build();
                status.set(HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding())
                        .statusCode());
            } catch (Exception e) {
                throw new IllegalStateException("the first request failed", e);
            }
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class BootstrapApplication {

    }
}
