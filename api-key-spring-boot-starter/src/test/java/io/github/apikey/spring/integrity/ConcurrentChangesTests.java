package io.github.apikey.spring.integrity;

import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two instances on one PostgreSQL database change the same key at the same moment: one edits its scopes, the other
 * deactivates it. However the two interleave, the key ends inactive and with the new scopes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConcurrentChangesTests {

    private static final int ROUNDS = 300;

    private TestDatabase database;
    private ConfigurableApplicationContext instanceA;
    private ConfigurableApplicationContext instanceB;

    @BeforeAll
    void startTwoInstances() {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        instanceA = start();
        instanceB = start();
    }

    private ConfigurableApplicationContext start() {
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(List.of("api-key.pepper=concurrent-changes-pepper-012345", "api-key.hasher.type=hmac-sha256",
                "api-key.jdbc.initialize-schema=always", "spring.main.banner-mode=off"));
        return new SpringApplicationBuilder(TwoInstancesApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    @AfterAll
    void stop() throws Exception {
        for (AutoCloseable closeable : new AutoCloseable[] {instanceA, instanceB, database}) {
            if (closeable != null) {
                closeable.close();
            }
        }
    }

    @Test
    void aScopeEditOnOneInstanceNeverUndoesADeactivationOnTheOther() throws Exception {
        ApiKeyService a = instanceA.getBean(ApiKeyService.class);
        ApiKeyService b = instanceB.getBean(ApiKeyService.class);
        ExecutorService threads = Executors.newFixedThreadPool(2);
        List<Integer> resurrected = new ArrayList<>();
        List<Integer> scopesLost = new ArrayList<>();
        try {
            for (int round = 0; round < ROUNDS; round++) {
                UUID id = a.create(NewApiKey.named("round " + round).withScopes(List.of("read"))).apiKey().getId();
                CyclicBarrier start = new CyclicBarrier(2);
                Future<?> edit = threads.submit(() -> {
                    start.await();
                    return a.update(id, ApiKeyChanges.builder().scopes(List.of("read", "write")).build());
                });
                Future<?> deactivate = threads.submit(() -> {
                    start.await();
                    return b.deactivate(id);
                });
                edit.get();
                deactivate.get();
                var stored = b.get(id);
                if (stored.isActive()) {
                    resurrected.add(round);
                }
                if (!List.copyOf(stored.getScopes()).equals(List.of("read", "write"))) {
                    scopesLost.add(round);
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertThat(resurrected).as("rounds whose key ended active again").isEmpty();
        assertThat(scopesLost).as("rounds whose scope edit was undone").isEmpty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class TwoInstancesApplication {
    }
}
