package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.store.CreditConsumption;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import java.time.Instant;
import java.util.Optional;

/**
 * The repository fragment that writes a key's changes, rotations and credit consumptions, each as one conditional
 * {@code UPDATE}, so that no write undoes another made at the same moment, on this instance or another. Each runs
 * in the caller's transaction and touches only the one entity it wrote in the persistence context.
 */
public interface ApiKeyChangeWriter {

    /**
     * Writes exactly the columns that {@code changes} sets, in one {@code UPDATE ... WHERE id = ?}, so that a change
     * never undoes another one made at the same moment, on this instance or another.
     *
     * @return the row as stored after the change, or empty if there is none with this id
     */
    Optional<ApiKeyEntity> writeChanges(String id, ApiKeyChanges changes);

    /**
     * Replaces the secret in one {@code UPDATE}: the hash stored at the moment of the write becomes the previous
     * hash (or none, without a grace period), so that concurrent rotations form one chain.
     *
     * @return the row as stored after the rotation, or empty if there is none with this id
     */
    Optional<ApiKeyEntity> rotateSecret(String id, SecretRotation rotation);

    /**
     * Consumes one credit with one conditional {@code UPDATE}, refilling first when the refill is due, then reads
     * the count left in the same transaction (the row stays locked by the update until it ends).
     */
    CreditConsumption consumeCredit(String id, Instant now);
}
