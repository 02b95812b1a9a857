package io.github.apikey.core.usage;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.testing.DelegatingStore;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.github.apikey.core.testing.TestKeys.T0;
import static io.github.apikey.core.testing.TestKeys.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CoalescingUsageRecorderTest {

    private final RecordingStore recording = new RecordingStore();

    @Test
    void manyUsesOfOneKeyBecomeOneWriteOfTheLatestTime() {
        ApiKey key = recording.create(key("hot").build());
        try (CoalescingUsageRecorder recorder = new CoalescingUsageRecorder(recording, Duration.ofHours(1))) {
            for (int i = 0; i < 1000; i++) {
                recorder.recordUse(key.getId(), T0.plusMillis(i % 500));
            }
            recorder.flush();

            assertThat(recording.batches).hasSize(1);
            assertThat(recording.batches.get(0)).containsExactly(Map.entry(key.getId(), T0.plusMillis(499)));
            assertThat(recording.findById(key.getId()).orElseThrow().getLastUsedAt()).isEqualTo(T0.plusMillis(499));
            assertThat(recorder.writtenUses()).isEqualTo(1);
            recorder.flush();
            assertThat(recording.batches).hasSize(1);
        }
    }

    @Test
    void closeFlushesWhatIsPending() {
        ApiKey key = recording.create(key("k").build());
        CoalescingUsageRecorder recorder = new CoalescingUsageRecorder(recording, Duration.ofHours(1));
        recorder.recordUse(key.getId(), T0);

        recorder.close();

        assertThat(recording.findById(key.getId()).orElseThrow().getLastUsedAt()).isEqualTo(T0);
        assertThat(recorder.pendingUses()).isZero();
    }

    @Test
    void aFailedFlushKeepsItsUsesForTheNextOne() {
        ApiKey key = recording.create(key("k").build());
        try (CoalescingUsageRecorder recorder = new CoalescingUsageRecorder(recording, Duration.ofHours(1))) {
            recorder.recordUse(key.getId(), T0);
            recording.failing = true;
            assertThatThrownBy(recorder::flush).hasMessage("store down");
            assertThat(recorder.pendingUses()).isEqualTo(1);

            recording.failing = false;
            recorder.flush();
            assertThat(recording.findById(key.getId()).orElseThrow().getLastUsedAt()).isEqualTo(T0);
        }
    }

    @Test
    void flushesOnItsOwnScheduleAtMostOncePerKeyPerInterval() throws Exception {
        ApiKey key = recording.create(key("k").build());
        try (CoalescingUsageRecorder recorder = new CoalescingUsageRecorder(recording, Duration.ofMillis(100))) {
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            int uses = 0;
            while (recording.findById(key.getId()).orElseThrow().getLastUsedAt() == null
                    && System.nanoTime() < deadline) {
                recorder.recordUse(key.getId(), T0.plusMillis(uses++));
                Thread.sleep(1);
            }
            assertThat(recording.findById(key.getId()).orElseThrow().getLastUsedAt()).isNotNull();
            assertThat(recording.batches).allSatisfy(batch -> assertThat(batch).hasSize(1));
            assertThat(recorder.writtenUses()).isLessThan(uses);
        }
    }

    @Test
    void rejectsANonPositiveInterval() {
        assertThatThrownBy(() -> new CoalescingUsageRecorder(recording, Duration.ZERO))
                .hasMessageContaining("positive");
    }

    /** Records each batch and can be made to fail. */
    private static final class RecordingStore extends DelegatingStore {

        final List<Map<UUID, Instant>> batches = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean failing;

        @Override
        public void recordUses(Map<UUID, Instant> uses) {
            if (failing) {
                throw new IllegalStateException("store down");
            }
            batches.add(Map.copyOf(uses));
            super.recordUses(uses);
        }
    }
}
