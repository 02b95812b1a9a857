package io.github.apikey.core.hash;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class BackgroundPriorityTest {

    @Test
    void hashThreadsRunWithARaisedNiceValueOnLinux() throws Exception {
        assumeTrue(Files.isReadable(Path.of("/proc/thread-self/stat")), "Linux only: nice is per thread there");
        AtomicReference<String> nice = new AtomicReference<>();
        Thread thread = new Thread(() -> {
            if (BackgroundPriority.lowerCurrentThread()) {
                nice.set(niceOfCurrentThread());
            }
        });
        thread.start();
        thread.join();

        assertThat(nice.get()).isEqualTo(String.valueOf(BackgroundPriority.NICE));
        assertThat(niceOfCurrentThread()).isEqualTo("0");
    }

    @Test
    void theLimitedHasherComputesOnItsBackgroundThreads() {
        ApiKeyHasher recordingThread = new ApiKeyHasher() {
            @Override
            public String hash(String secret) {
                return Thread.currentThread().getName();
            }

            @Override
            public boolean verify(String storedHash, String secret) {
                return Thread.currentThread().getName().startsWith("api-key-hash-");
            }
        };
        try (ConcurrencyLimitedHasher limited = new ConcurrencyLimitedHasher(recordingThread, 1,
                java.time.Duration.ofSeconds(5))) {
            assertThat(limited.hash("s")).startsWith("api-key-hash-");
            assertThat(limited.verify("h", "s")).isTrue();
        }
    }

    /** Field 19 of /proc/thread-self/stat, counted after the command name in parentheses. */
    private static String niceOfCurrentThread() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return fields[16];
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
