package io.github.apikey.spring.integrity;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of wrong and unknown keys, running far longer than the cache's time-to-live, at the real Argon2id cost:
 * a client whose key was verified before keeps being served, because renewing its cache entry reads its row
 * instead of waiting for a hash slot behind the flood.
 */
@SpringBootTest(classes = SecuredApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"api-key.pepper=flood-test-pepper-that-is-long-enough-000", "api-key.cache.ttl=2s",
                "api-key.hashing.max-concurrent=2", "api-key.hashing.max-wait=1s",
                "spring.datasource.generate-unique-name=true"})
class FloodTests {

    private static final Duration FLOOD = Duration.ofSeconds(20);
    private static final int FLOOD_CONNECTIONS = 32;

    @LocalServerPort
    int port;

    @Autowired
    ApiKeyService service;

    @Test
    void aVerifiedClientIsNeverRefusedDuringAFloodLongerThanTheCacheTimeToLive() throws Exception {
        CreatedApiKey valid = service.create(NewApiKey.named("steady client"));
        String knownKeyId = valid.apiKey().getKeyId();
        ApiKeyFormat format = service.getFormat();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        assertThat(status(http, valid.plaintext())).isEqualTo(200);

        long end = System.nanoTime() + FLOOD.toNanos();
        ExecutorService threads = Executors.newFixedThreadPool(FLOOD_CONNECTIONS + 1);
        Map<Integer, AtomicInteger> floodAnswers = new ConcurrentHashMap<>();
        try {
            List<Future<?>> flood = new ArrayList<>();
            for (int i = 0; i < FLOOD_CONNECTIONS; i++) {
                boolean unknownKeyIds = i % 2 == 0;
                flood.add(threads.submit(() -> {
                    while (System.nanoTime() < end) {
                        String keyId = unknownKeyIds ? format.newKeyId() : knownKeyId;
                        int status = status(http, format.format(keyId, format.newSecret()));
                        floodAnswers.computeIfAbsent(status, s -> new AtomicInteger()).incrementAndGet();
                    }
                    return null;
                }));
            }
            Map<Integer, Integer> clientAnswers = new TreeMap<>();
            Future<?> client = threads.submit(() -> {
                while (System.nanoTime() < end) {
                    clientAnswers.merge(status(http, valid.plaintext()), 1, Integer::sum);
                    Thread.sleep(2);
                }
                return null;
            });
            client.get();
            for (Future<?> connection : flood) {
                connection.get();
            }

            assertThat(floodAnswers).as("the flood was answered, and not with success").isNotEmpty()
                    .doesNotContainKey(200);
            assertThat(clientAnswers.keySet()).as("answers to the verified client: %s", clientAnswers)
                    .containsExactly(200);
            assertThat(clientAnswers.get(200)).as("requests the client made").isGreaterThan(100);
        } finally {
            threads.shutdownNow();
        }
    }

    private int status(HttpClient http, String key) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/hello"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(30)).build();
        return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
