package io.github.apikey.core.hash;

import at.favre.lib.crypto.bcrypt.BCrypt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/**
 * BCrypt over the Base64 of HMAC-SHA256(pepper, secret). Pre-hashing keeps the input at 44 bytes, under BCrypt's
 * 72-byte limit, so no part of the secret is silently ignored. Needs {@code at.favre.lib:bcrypt} on the class
 * path.
 */
public final class BCryptApiKeyHasher implements ApiKeyHasher {

    /** Spring Security's default work factor. */
    public static final int DEFAULT_COST = 10;

    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;

    private final HmacSha256 hmac;
    private final int cost;

    public BCryptApiKeyHasher(String pepper) {
        this(pepper, DEFAULT_COST);
    }

    public BCryptApiKeyHasher(String pepper, int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("BCrypt cost must be between 4 and 31, was " + cost);
        }
        this.hmac = new HmacSha256(Pepper.requireBytes(pepper));
        this.cost = cost;
    }

    public int getCost() {
        return cost;
    }

    @Override
    public String hash(String secret) {
        byte[] input = preHash(secret);
        try {
            return new String(BCrypt.with(VERSION).hash(cost, input), StandardCharsets.US_ASCII);
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    @Override
    public boolean verify(String storedHash, String secret) {
        if (storedHash == null || secret == null || !storedHash.startsWith("$2")) {
            return false;
        }
        byte[] input = preHash(secret);
        try {
            return BCrypt.verifyer().verify(input, storedHash.getBytes(StandardCharsets.US_ASCII)).verified;
        } catch (RuntimeException malformed) {
            return false;
        } finally {
            Arrays.fill(input, (byte) 0);
        }
    }

    private byte[] preHash(String secret) {
        return Base64.getEncoder().encode(hmac.mac(secret));
    }

    @Override
    public String toString() {
        return "BCryptApiKeyHasher[cost=" + cost + "]";
    }
}
