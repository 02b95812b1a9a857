package io.github.apikey.core.hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * HMAC-SHA256(pepper, secret), stored as {@code $hmac-sha256$<base64>}. Verification takes well under a
 * microsecond.
 *
 * <p>The trade-off: there is no salt and no work factor, so the hash is only as strong as the secret and the
 * pepper. That is sound for this library's generated secrets (64 random alphanumerics, about 381 bits, far out of
 * reach of guessing) as long as the pepper stays out of the database; it is not sound for human-chosen secrets,
 * and a leaked pepper together with the database lets an attacker test candidates at full hash speed.
 */
public final class HmacSha256ApiKeyHasher implements ApiKeyHasher {

    private static final String PREFIX = "$hmac-sha256$";

    private final HmacSha256 hmac;

    public HmacSha256ApiKeyHasher(String pepper) {
        this.hmac = new HmacSha256(Pepper.requireBytes(pepper));
    }

    @Override
    public String hash(String secret) {
        return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(hmac.mac(secret));
    }

    @Override
    public boolean verify(String storedHash, String secret) {
        if (storedHash == null || secret == null || !storedHash.startsWith(PREFIX)) {
            return false;
        }
        byte[] expected = hash(secret).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, storedHash.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "HmacSha256ApiKeyHasher";
    }
}
