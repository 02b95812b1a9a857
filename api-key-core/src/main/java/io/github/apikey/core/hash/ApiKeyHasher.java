package io.github.apikey.core.hash;

import java.util.function.Supplier;

/**
 * Turns a key's secret into the string a store keeps, and checks a presented secret against it. Every
 * implementation mixes in a server-side pepper, so a stolen database alone does not allow offline guessing.
 *
 * <p>Implementations are thread-safe.
 */
public interface ApiKeyHasher {

    /** Hashes {@code secret} with a fresh salt where the scheme has one. */
    String hash(String secret);

    /**
     * Whether {@code secret} matches {@code storedHash}. Returns {@code false}, and never throws, when the stored
     * hash is malformed or belongs to another scheme.
     */
    boolean verify(String storedHash, String secret);

    /**
     * Runs {@code verification}, a store lookup followed by at most one {@link #verify}, within this hasher's
     * bounds on concurrent work, so that the lookup is bounded as well as the hash. Unbounded hashers just run it.
     */
    default <T> T bounded(Supplier<T> verification) {
        return verification.get();
    }
}
