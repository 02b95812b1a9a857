package io.github.apikey.core.cache;

import io.github.apikey.core.domain.ApiKey;

import java.util.UUID;

/**
 * Remembers keys whose secret was verified, so that the next request with the same presented key skips the
 * store and the password hash. Entries are keyed by a digest of the presented key: the plaintext is never stored.
 * A hit only proves the secret; state and scopes are still checked against the cached key and the current time.
 *
 * <p>Invalidation must win over a concurrent miss: {@link #put} refuses entries whose lookup began before the
 * last {@link #invalidate}, so that a key disabled while it was being verified is not cached as enabled.
 */
public interface VerifiedKeyCache {

    /** The key verified for {@code presentedKey}, or {@code null}. Callers may change what they get. */
    ApiKey get(String presentedKey);

    /** A token to take before reading the store, and to pass to {@link #put}. */
    long generation();

    /** Caches {@code key} for {@code presentedKey} unless anything was invalidated since {@code generation}. */
    void put(String presentedKey, ApiKey key, long generation);

    /** Forgets key {@code id}, because it changed or was deleted. */
    void invalidate(UUID id);

    /** Forgets every key. */
    void invalidateAll();

    /** A cache that holds nothing. */
    VerifiedKeyCache NONE = new VerifiedKeyCache() {

        @Override
        public ApiKey get(String presentedKey) {
            return null;
        }

        @Override
        public long generation() {
            return 0;
        }

        @Override
        public void put(String presentedKey, ApiKey key, long generation) {
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
