package io.github.apikey.core.cache;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * SHA-256 of a presented key, as the cache key. A per-thread digest keeps this at the cost of the hash itself.
 */
public final class PresentedKeyDigest {

    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JVM", e);
        }
    });

    private PresentedKeyDigest() {
    }

    /** The digest, wrapped so that it compares by content. */
    public static ByteBuffer of(String presentedKey) {
        return ByteBuffer.wrap(SHA_256.get().digest(presentedKey.getBytes(StandardCharsets.UTF_8)));
    }
}
