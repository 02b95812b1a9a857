package io.github.apikey.core.hash;

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
}
