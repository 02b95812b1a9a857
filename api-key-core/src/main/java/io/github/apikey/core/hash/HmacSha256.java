package io.github.apikey.core.hash;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Objects;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * HMAC-SHA256 keyed with the pepper. {@link Mac} instances are not thread-safe, so each thread keeps its own
 * clone of a prototype: creating one per call would dominate a sub-microsecond verification.
 */
final class HmacSha256 {

    private static final String ALGORITHM = "HmacSHA256";

    private final ThreadLocal<Mac> macs;

    HmacSha256(byte[] key) {
        Mac prototype = newMac(key);
        this.macs = ThreadLocal.withInitial(() -> cloneOf(prototype));
    }

    byte[] mac(String message) {
        Mac mac = macs.get();
        return mac.doFinal(Objects.requireNonNull(message, "message").getBytes(StandardCharsets.UTF_8));
    }

    private static Mac newMac(byte[] key) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM", e);
        }
    }

    private static Mac cloneOf(Mac prototype) {
        try {
            synchronized (prototype) {
                return (Mac) prototype.clone();
            }
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("HmacSHA256 provider does not support clone()", e);
        }
    }
}
