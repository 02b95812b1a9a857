package io.github.apikey.core.domain;

import java.time.Instant;
import java.util.Objects;

/**
 * A new secret for a stored key, as a store writes it: the new secret's hash and display characters replace the
 * current ones, and the current hash becomes the previous one, which authenticates until
 * {@code previousSecretExpiresAt}. Without a grace period ({@code previousSecretExpiresAt} not after
 * {@code rotatedAt}) no previous hash is kept at all.
 *
 * @param keyHash                 hash of the new secret
 * @param secretFirst             first four characters of the new secret
 * @param secretLast              last four characters of the new secret
 * @param rotatedAt               when the rotation happened
 * @param previousSecretExpiresAt when the replaced secret stops authenticating
 */
public record SecretRotation(String keyHash, String secretFirst, String secretLast, Instant rotatedAt,
                             Instant previousSecretExpiresAt) {

    public SecretRotation {
        Objects.requireNonNull(keyHash, "keyHash");
        Objects.requireNonNull(secretFirst, "secretFirst");
        Objects.requireNonNull(secretLast, "secretLast");
        Objects.requireNonNull(rotatedAt, "rotatedAt");
        Objects.requireNonNull(previousSecretExpiresAt, "previousSecretExpiresAt");
    }

    /** Whether the replaced secret keeps authenticating for a while, so that its hash must be kept. */
    public boolean keepsPreviousSecret() {
        return previousSecretExpiresAt.isAfter(rotatedAt);
    }

    /** {@code key} as it is after this rotation: a copy, {@code key} itself stays as it is. */
    public ApiKey applyTo(ApiKey key) {
        boolean keep = keepsPreviousSecret();
        return key.toBuilder().keyHash(keyHash).secretFirst(secretFirst).secretLast(secretLast).rotatedAt(rotatedAt)
                .previousKeyHash(keep ? key.getKeyHash() : null)
                .previousSecretExpiresAt(keep ? previousSecretExpiresAt : null)
                .build();
    }

    @Override
    public String toString() {
        return "SecretRotation[rotatedAt=" + rotatedAt + ", previousSecretExpiresAt=" + previousSecretExpiresAt + "]";
    }
}
