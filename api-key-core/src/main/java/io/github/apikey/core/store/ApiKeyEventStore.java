package io.github.apikey.core.store;

import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventChain;
import io.github.apikey.core.audit.ApiKeyEventDraft;
import io.github.apikey.core.audit.ChainHead;
import io.github.apikey.core.error.ApiKeyStoreException;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where the audit trail of management operations lives, beside the {@link ApiKeyStore}: one linear hash chain
 * ({@link ApiKeyEventChain}) across every instance sharing the backend. Implementations are thread-safe and report an
 * unreachable backend as {@link ApiKeyStoreException}.
 *
 * <p>The contract every implementation must pass is {@code ApiKeyEventStoreContract} in this module's test jar.
 */
public interface ApiKeyEventStore {

    /**
     * Runs {@code work} in one transaction with the key store's writes (joining the caller's where the backend has
     * them), holding the chain's lock from the start: appends of every instance are serialized by it, so the chain
     * stays linear, and a change and its event commit or roll back together. The lock is taken before {@code work}
     * writes a key, always in that order, so two such units of work never deadlock on each other.
     */
    <T> T withChainLock(Supplier<T> work);

    /**
     * Appends the draft as the next event: its sequence is the head's plus one, its previous hash the head's hash; the
     * head then records it. Takes the chain's lock if the caller does not hold it yet.
     */
    ApiKeyEvent append(ApiKeyEventDraft draft);

    /**
     * Deletes every event up to the newest one that occurred before {@code cutoff} (a prefix of the chain), then appends
     * {@code purge} with {@link ApiKeyEventChain#purgeDetails} describing the deletion. Does nothing when no event is
     * that old, so instances running it at the same moment delete once.
     *
     * @return the purge event, or empty if nothing was deleted
     */
    Optional<ApiKeyEvent> purge(Instant cutoff, ApiKeyEventDraft purge);

    /** Events matching {@code filter}, newest first, within its page. */
    List<ApiKeyEvent> find(ApiKeyEventFilter filter);

    /** How many events match {@code filter}, ignoring its page. */
    long count(ApiKeyEventFilter filter);

    /** Up to {@code limit} events after sequence {@code afterSequence}, oldest first: the chain in order. */
    List<ApiKeyEvent> chain(long afterSequence, int limit);

    /** The chain head: the last appended event, {@link ChainHead#GENESIS} before the first. */
    ChainHead head();
}
