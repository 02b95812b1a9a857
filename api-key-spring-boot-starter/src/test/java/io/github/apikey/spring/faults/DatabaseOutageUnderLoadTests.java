package io.github.apikey.spring.faults;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.security.app.SecuredApplication;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The key database stops while requests keep coming: keys verified before the outage keep working from the
 * cache, every other key gets 503 (never 200, never 401), and service resumes without a restart.
 */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=outage-pepper-0123456789abcdefgh",
        "api-key.hasher.type=hmac-sha256", "api-key.jdbc.initialize-schema=always",
        "spring.datasource.hikari.connection-timeout=500", "spring.datasource.hikari.maximum-pool-size=4"})
@AutoConfigureMockMvc
class DatabaseOutageUnderLoadTests {

    enum Phase { UP, DOWN, RECOVERED }

    enum Kind { CACHED, FRESH, WRONG }

    private static TestDatabase database;

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        database.registerWith(registry);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void onlyCachedKeysPassDuringTheOutageAndEveryKeyWorksAfterIt() throws Exception {
        String cached = service.create(NewApiKey.named("cached")).plaintext();
        assertThat(status(cached)).isEqualTo(200);
        ConcurrentLinkedQueue<String> fresh = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 400; i++) {
            fresh.add(service.create(NewApiKey.named("fresh-" + i)).plaintext());
        }
        String keptForTheEnd = service.create(NewApiKey.named("kept for the end")).plaintext();
        ApiKeyFormat format = new ApiKeyFormat();
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        Phase[] phase = {Phase.UP};
        ExecutorService load = Executors.newFixedThreadPool(4);
        List<Future<?>> workers = new ArrayList<>();
        for (int worker = 0; worker < 4; worker++) {
            int offset = worker;
            workers.add(load.submit(() -> {
                for (int i = offset; !stop.get(); i++) {
                    Kind kind = Kind.values()[i % 3];
                    Phase before = phase[0];
                    String key = switch (kind) {
                        case CACHED -> cached;
                        case FRESH -> fresh.poll();
                        case WRONG -> format.format(format.newKeyId(), format.newSecret());
                    };
                    if (key == null) {
                        continue;
                    }
                    int status = status(key);
                    Phase after = phase[0];
                    String phaseName = before == after ? before.name() : "CHANGING";
                    outcomes.computeIfAbsent(phaseName + " " + kind + " " + status, k -> new AtomicInteger())
                            .incrementAndGet();
                }
                return null;
            }));
        }
        try {
            Thread.sleep(500);
            database.refuseConnections();
            phase[0] = Phase.DOWN;
            Thread.sleep(2500);
        } finally {
            database.acceptConnections();
        }
        phase[0] = Phase.RECOVERED;
        Thread.sleep(1500);
        stop.set(true);
        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        load.shutdown();
        System.out.println("database outage under load, requests by phase, key kind and status: " + outcomes);

        assertThat(outcomes.keySet()).allSatisfy(outcome -> {
            if (outcome.contains("DOWN FRESH") || outcome.contains("DOWN WRONG")) {
                assertThat(outcome).endsWith(" 503");
            }
            if (outcome.contains(" WRONG ")) {
                assertThat(outcome).doesNotEndWith(" 200");
            }
            if (outcome.contains(" CACHED ")) {
                assertThat(outcome).endsWith(" 200");
            }
            assertThat(outcome).doesNotEndWith(" 500");
        });
        assertThat(outcomes).containsKeys("DOWN CACHED 200", "RECOVERED FRESH 200");
        assertThat(outcomes.keySet()).anyMatch(outcome -> outcome.startsWith("DOWN FRESH 503"));
        assertThat(status(keptForTheEnd)).isEqualTo(200);
    }

    private int status(String key) throws Exception {
        return mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)).andReturn()
                .getResponse().getStatus();
    }
}
