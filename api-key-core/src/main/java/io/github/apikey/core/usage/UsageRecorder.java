package io.github.apikey.core.usage;

import java.time.Instant;
import java.util.UUID;

/**
 * Where verification reports that a key was used.
 */
public interface UsageRecorder {

    void recordUse(UUID id, Instant usedAt);

    /** Writes what is pending; called on shutdown. */
    default void flush() {
    }
}
