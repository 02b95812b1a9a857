package io.github.apikey.core.format;

import java.util.Objects;

/**
 * The two variable parts of a presented key: the public key id, used to look the key up, and the secret, which
 * is only ever hashed. {@link #toString()} leaves the secret out.
 */
public final class ParsedApiKey {

    private final String keyId;
    private final String secret;

    ParsedApiKey(String keyId, String secret) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.secret = Objects.requireNonNull(secret, "secret");
    }

    public String keyId() {
        return keyId;
    }

    public String secret() {
        return secret;
    }

    @Override
    public String toString() {
        return "ParsedApiKey[keyId=" + keyId + ", secret=<redacted>]";
    }
}
