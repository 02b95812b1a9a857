package io.github.apikey.core.cache;

import java.nio.ByteBuffer;
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

    /**
     * The digest of the presented key's characters, wrapped so that it compares by content, or {@code null} if the
     * key holds a character outside ASCII: no key of any format does, so such a string is never in the cache. (An
     * encoding would not do: UTF-8 writes every unpaired surrogate as '?', and two strings would share a digest.)
     */
    public static ByteBuffer of(String presentedKey) {
        int length = presentedKey.length();
        byte[] ascii = new byte[length];
        for (int i = 0; i < length; i++) {
            char c = presentedKey.charAt(i);
            if (c > 0x7f) {
                return null;
            }
            ascii[i] = (byte) c;
        }
        return ByteBuffer.wrap(SHA_256.get().digest(ascii));
    }
}
