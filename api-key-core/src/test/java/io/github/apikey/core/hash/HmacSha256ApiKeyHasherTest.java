package io.github.apikey.core.hash;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

class HmacSha256ApiKeyHasherTest extends ApiKeyHasherContract {

    @Override
    protected ApiKeyHasher hasher(String pepper) {
        return new HmacSha256ApiKeyHasher(pepper);
    }

    @Override
    protected boolean salted() {
        return false;
    }

    @Test
    void matchesAnIndependentHmacComputation() throws Exception {
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(PEPPER.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                "HmacSHA256"));
        String expected = "$hmac-sha256$" + java.util.Base64.getEncoder().withoutPadding()
                .encodeToString(mac.doFinal("secret".getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        assertThat(hasher(PEPPER).hash("secret")).isEqualTo(expected);
    }

    @Test
    void staysCorrectWhenSharedBetweenThreads() throws Exception {
        ApiKeyHasher hasher = hasher(PEPPER);
        String expected = hasher.hash("shared");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                int worker = i;
                tasks.add(() -> {
                    for (int n = 0; n < 2000; n++) {
                        if (!hasher.verify(expected, "shared") || hasher.verify(expected, "other" + worker)) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> result : pool.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
