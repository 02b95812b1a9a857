package io.github.apikey.core.cache;

import io.github.apikey.core.domain.ApiKey;

import java.util.UUID;

/**
 * Remembers keys whose secret was verified, so that the next request with the same presented key skips the
 * store and the password hash. Entries are keyed by a digest of the presented key: the plaintext is never stored.
 * A hit only proves the secret; state and scopes are still checked against the cached key and the current time.
 *
 * <p>Once an entry has been served for the cache's time-to-live it is due for renewal: the caller reads the key's
 * row again and, if it still holds the hash the secret was verified against, renews the entry with {@link #put}
 * without any hash work. So a verified client never waits for a hash slot, however busy hashing is.
 *
 * <p>Invalidation must win over a concurrent miss: {@link #put} refuses entries whose lookup began before the
 * last {@link #invalidate}, so that a key disabled while it was being verified is not cached as enabled.
 */
public interface VerifiedKeyCache {

    /** The verification cached for {@code presentedKey}, or {@code null}. */
    Hit get(String presentedKey);

    /** A token to take before reading the store, and to pass to {@link #put}. */
    long generation();

    /**
     * Caches {@code key} for {@code presentedKey} unless anything was invalidated since {@code generation}.
     *
     * @param previousSecret whether the presented secret matched the key's previous secret, kept after a rotation
     *                       for a grace period, rather than its current one
     */
    void put(String presentedKey, ApiKey key, boolean previousSecret, long generation);

    /** Caches {@code key}, whose current secret {@code presentedKey} matched, as {@link #put(String, ApiKey, boolean, long)}. */
    default void put(String presentedKey, ApiKey key, long generation) {
        put(presentedKey, key, false, generation);
    }

    /** Forgets key {@code id}, because it changed or was deleted. */
    void invalidate(UUID id);

    /** Forgets every key. */
    void invalidateAll();

    /**
     * A cached verification.
     *
     * @param key          the key as cached; the caller's own copy, which it may change
     * @param renewalDue     whether the entry has been served for the time-to-live, so that the key's row must be
     *                       read again before the key is trusted
     * @param previousSecret whether the presented secret matched the key's previous secret, which authenticates
     *                       only until the end of the rotation's grace period
     */
    record Hit(ApiKey key, boolean renewalDue, boolean previousSecret) {

        public Hit(ApiKey key, boolean renewalDue) {
            this(key, renewalDue, false);
        }
    }

    /** A cache that holds nothing. */
    VerifiedKeyCache NONE = new VerifiedKeyCache() {

        @Override
        public Hit get(String presentedKey) {
            return null;
        }

        @Override
        public long generation() {
            return 0;
        }

        @Override
        public void put(String presentedKey, ApiKey key, boolean previousSecret, long generation) {
        }

        @Override
        public void invalidate(UUID id) {
        }

        @Override
        public void invalidateAll() {
        }

        @Override
        public String toString() {
            return "VerifiedKeyCache.NONE";
        }
    };
}
