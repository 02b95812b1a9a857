package io.github.apikey.core.store;

/**
 * How many keys are in each state at one moment, for operators ({@link ApiKeyStore#countStates}). {@code active},
 * {@code inactive} and {@code expired} add up to {@code total}; the other counts overlap them.
 *
 * @param total        every key
 * @param active       enabled and not expired: keys that can authenticate
 * @param inactive     disabled, whatever their expiry
 * @param expired      enabled, but past their expiry
 * @param expiringSoon active and expiring before the given bound
 * @param neverUsed    never used (no last-used time)
 * @param unused       last used before the given bound (keys never used are not counted here)
 */
public record ApiKeyStateCounts(long total, long active, long inactive, long expired, long expiringSoon,
                                long neverUsed, long unused) {
}
