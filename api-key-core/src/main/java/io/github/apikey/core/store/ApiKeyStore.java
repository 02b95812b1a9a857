package io.github.apikey.core.store;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.DuplicateApiKeyException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Where keys live. Implementations are thread-safe, return copies that callers may change freely, and report
 * an unreachable backend as {@link ApiKeyStoreException}.
 *
 * <p>The contract every implementation must pass is {@code ApiKeyStoreContract} in this module's test jar.
 */
public interface ApiKeyStore {

    Optional<ApiKey> findById(UUID id);

    Optional<ApiKey> findByKeyId(String keyId);

    /**
     * Stores a new key.
     *
     * @return the stored key
     * @throws DuplicateApiKeyException if its id, key id or hash is already stored
     */
    ApiKey create(ApiKey key);

    /**
     * Writes exactly the fields that {@code changes} sets, in one atomic step, and leaves every other field as it
     * is stored: a change never undoes another made at the same moment, here or on another instance sharing the
     * backend. Joins the caller's transaction where the backend has them.
     *
     * @return the key as stored after the change, or empty if no key has this id
     */
    Optional<ApiKey> update(UUID id, ApiKeyChanges changes);

    /**
     * Replaces the secret of key {@code id} in one atomic step: the stored hash becomes the previous hash (or is
     * dropped, when the rotation keeps no previous secret), and the rotation's hash, display characters and times
     * are written. Every other field is left as it is stored. A previous hash kept by an earlier rotation is
     * replaced, which ends that rotation's grace period.
     *
     * @return the key as stored after the rotation, or empty if no key has this id
     */
    Optional<ApiKey> rotate(UUID id, SecretRotation rotation);

    /**
     * Consumes one usage credit of key {@code id} at {@code now}, atomically across every instance sharing the
     * backend: no credit is consumed twice, none is lost, and the count never goes below zero. If the key's refill
     * is due at {@code now} ({@link io.github.apikey.core.domain.CreditRefill#isDue}), the credits are first
     * restored to the refill amount and the refill time set to the start of the current period, in the same step.
     */
    CreditConsumption consumeCredit(UUID id, Instant now);

    /**
     * Records that key {@code id} was used at {@code usedAt}. Writes the last-used time only, and only forward,
     * so it can never undo a concurrent disable or scope change. Unknown ids are ignored.
     */
    void recordUse(UUID id, Instant usedAt);

    /**
     * Records many uses at once, as {@link #recordUse} does for each; stores override it to write them in one
     * batch.
     */
    default void recordUses(Map<UUID, Instant> uses) {
        uses.forEach(this::recordUse);
    }

    /** @return whether a key was deleted */
    boolean deleteById(UUID id);

    /** A page of keys, newest first. */
    List<ApiKey> list(int offset, int limit);

    /** Keys matching {@code filter}, in its order, within its page. */
    List<ApiKey> find(ApiKeyFilter filter);

    /** How many keys match {@code filter}, ignoring its page. */
    long count(ApiKeyFilter filter);

    /**
     * How many keys are in each state at {@code now}: see {@link ApiKeyStateCounts}. A key is expired once
     * {@code now} reaches its expiry, as verification decides; {@code expiringBefore} and {@code unusedSince} are
     * exclusive bounds. This default asks {@link #count} six times; stores override it with one query.
     */
    default ApiKeyStateCounts countStates(Instant now, Instant expiringBefore, Instant unusedSince) {
        Instant at = now.truncatedTo(ChronoUnit.MICROS);
        long total = count(ApiKeyFilter.builder().build());
        long inactive = count(ApiKeyFilter.builder().active(false).build());
        // expiresAt <= now, with the filter's exclusive bound: every store keeps whole microseconds.
        long expired = count(ApiKeyFilter.builder().active(true).expiresBefore(at.plusNanos(1000)).build());
        long expiringSoon = count(ApiKeyFilter.builder().active(true).expiresAfter(at)
                .expiresBefore(expiringBefore).build());
        long neverUsed = count(ApiKeyFilter.builder().neverUsed(true).build());
        long unused = count(ApiKeyFilter.builder().lastUsedBefore(unusedSince).build());
        return new ApiKeyStateCounts(total, total - inactive - expired, inactive, expired, expiringSoon, neverUsed,
                unused);
    }
}
