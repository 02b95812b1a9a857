package io.github.apikey.core.service;

import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.Argon2ApiKeyHasher;
import io.github.apikey.core.hash.Argon2Cost;
import io.github.apikey.core.store.InMemoryApiKeyStore;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An unknown key id and a wrong secret for a known key id must cost the same time, so that response times do not
 * reveal which key ids exist. Many interleaved samples of each are compared by their medians and by a
 * Mann-Whitney U test, never by a single measurement.
 */
class VerificationTimingTest {

    private static final int SAMPLES = 300;

    @Test
    void anUnknownKeyIdAndAWrongSecretTakeTheSameTime() {
        ApiKeyService service = new ApiKeyService(new InMemoryApiKeyStore(),
                new Argon2ApiKeyHasher("timing-pepper", new Argon2Cost(4096, 1, 1)));
        ApiKeyFormat format = new ApiKeyFormat();
        List<String> knownKeyIds = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            knownKeyIds.add(service.create(NewApiKey.named("known-" + i)).apiKey().getKeyId());
        }
        Random random = new Random(42);
        for (int warmUp = 0; warmUp < 50; warmUp++) {
            refuse(service, format.format(format.newKeyId(), format.newSecret()));
            refuse(service, format.format(knownKeyIds.get(warmUp % 20), format.newSecret()));
        }

        List<Boolean> order = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            order.add(true);
            order.add(false);
        }
        Collections.shuffle(order, random);
        long[] unknown = new long[SAMPLES];
        long[] wrongSecret = new long[SAMPLES];
        int u = 0;
        int w = 0;
        for (boolean unknownKeyId : order) {
            String keyId = unknownKeyId ? format.newKeyId() : knownKeyIds.get(random.nextInt(knownKeyIds.size()));
            String presented = format.format(keyId, format.newSecret());
            long start = System.nanoTime();
            refuse(service, presented);
            long elapsed = System.nanoTime() - start;
            if (unknownKeyId) {
                unknown[u++] = elapsed;
            } else {
                wrongSecret[w++] = elapsed;
            }
        }

        double medianUnknown = median(unknown);
        double medianWrong = median(wrongSecret);
        double relativeDifference = Math.abs(medianUnknown - medianWrong) / medianWrong;
        double z = mannWhitneyZ(unknown, wrongSecret);
        System.out.printf("timing: %d samples each; median unknown key id %.3f ms, wrong secret %.3f ms, "
                + "difference %.2f%%, Mann-Whitney z = %.2f%n", SAMPLES, medianUnknown / 1e6, medianWrong / 1e6,
                relativeDifference * 100, z);

        assertThat(relativeDifference).as("relative difference of the medians").isLessThan(0.10);
        assertThat(Math.abs(z)).as("Mann-Whitney z (|z| >= 4 would mean different distributions)").isLessThan(4);
    }

    private static void refuse(ApiKeyService service, String presented) {
        assertThatThrownBy(() -> service.verify(presented)).isInstanceOf(InvalidKeyException.class);
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2.0;
    }

    /** The normal approximation of the Mann-Whitney U statistic, with mid-ranks for ties. */
    private static double mannWhitneyZ(long[] first, long[] second) {
        int n1 = first.length;
        int n2 = second.length;
        long[][] all = new long[n1 + n2][];
        for (int i = 0; i < n1; i++) {
            all[i] = new long[] {first[i], 0};
        }
        for (int i = 0; i < n2; i++) {
            all[n1 + i] = new long[] {second[i], 1};
        }
        Arrays.sort(all, (a, b) -> Long.compare(a[0], b[0]));
        double rankSumFirst = 0;
        for (int i = 0; i < all.length; ) {
            int j = i;
            while (j < all.length && all[j][0] == all[i][0]) {
                j++;
            }
            double midRank = (i + 1 + j) / 2.0;
            for (int k = i; k < j; k++) {
                if (all[k][1] == 0) {
                    rankSumFirst += midRank;
                }
            }
            i = j;
        }
        double u = rankSumFirst - n1 * (n1 + 1) / 2.0;
        double mean = n1 * (double) n2 / 2;
        double deviation = Math.sqrt(n1 * (double) n2 * (n1 + n2 + 1) / 12);
        return (u - mean) / deviation;
    }
}
