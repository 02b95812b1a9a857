package io.github.apikey.core.observation;

import java.util.Locale;

/**
 * Where a verification found its answer, which is what its duration depends on. {@link #tagValue()} is the
 * lower-case form used as a tag.
 */
public enum VerificationPath {

    /** Refused before any look-up: no key, or not of the key format. */
    NONE,
    /** Served from the verified-key cache: no store access, no hash. */
    CACHE,
    /** A cache entry due for renewal, renewed from the key's row without hash work. */
    RENEWAL,
    /** Looked up in the store and hashed (a cache miss, or a renewal that found a new hash). */
    HASH;

    private final String tagValue = name().toLowerCase(Locale.ROOT);

    public String tagValue() {
        return tagValue;
    }
}
