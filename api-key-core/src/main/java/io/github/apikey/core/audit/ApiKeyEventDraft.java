package io.github.apikey.core.audit;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * An event before the store gave it its place in the chain: everything but its sequence number and hashes.
 *
 * @param details canonical JSON object text ({@link CanonicalJson}); never a secret, hash or pepper
 */
public record ApiKeyEventDraft(Instant occurredAt, ApiKeyEventAction action, ApiKeyEventOutcome outcome,
                               UUID apiKeyId, String keyId, ApiKeyActor actor, String details) {

    /** The time is truncated to microseconds, the precision databases keep, so that a stored event hashes the same. */
    public ApiKeyEventDraft {
        occurredAt = Objects.requireNonNull(occurredAt, "occurredAt").truncatedTo(ChronoUnit.MICROS);
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(details, "details");
    }

    public static ApiKeyEventDraft of(Instant occurredAt, ApiKeyEventAction action, ApiKeyEventOutcome outcome,
                                      UUID apiKeyId, String keyId, ApiKeyActor actor, Map<String, ?> details) {
        return new ApiKeyEventDraft(occurredAt, action, outcome, apiKeyId, keyId, actor, CanonicalJson.write(details));
    }

    /** This draft with {@code details}, as the store completes a purge's. */
    public ApiKeyEventDraft withDetails(Map<String, ?> details) {
        return new ApiKeyEventDraft(occurredAt, action, outcome, apiKeyId, keyId, actor, CanonicalJson.write(details));
    }
}
