package io.github.apikey.core.audit;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One recorded management operation, a link of the audit chain: {@code hash} is the SHA-256 of the event's canonical
 * form, which includes {@code previousHash}, the hash of the event before it ({@link ApiKeyEventChain}). It never
 * holds a secret, a key hash or the pepper: {@code keyId} is the public part of a key.
 *
 * @param sequence      the event's place in the chain, from 1, without gaps
 * @param apiKeyId      the key's id; {@code null} when the operation named none (a create refused as invalid)
 * @param keyId         the key's public key id; {@code null} when unknown (a key that was not found)
 * @param details       canonical JSON object text: the changed fields with their new values, the field at fault, ...
 * @param previousHash  lowercase hex SHA-256 of the previous event, {@link ApiKeyEventChain#GENESIS_HASH} for the first
 * @param hash          lowercase hex SHA-256 of this event's canonical form
 */
public record ApiKeyEvent(long sequence, Instant occurredAt, ApiKeyEventAction action, ApiKeyEventOutcome outcome,
                          UUID apiKeyId, String keyId, ApiKeyActor actor, String details, String previousHash,
                          String hash) {

    public ApiKeyEvent {
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(details, "details");
        Objects.requireNonNull(previousHash, "previousHash");
        Objects.requireNonNull(hash, "hash");
    }
}
