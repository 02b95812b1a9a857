package io.github.apikey.core.service;

import io.github.apikey.core.domain.ApiKey;

import java.util.Objects;

/**
 * A freshly created key together with its plaintext, the only time the plaintext exists: hand it to the client
 * and drop it. {@link #toString()} leaves it out.
 *
 * @param apiKey    the stored key
 * @param plaintext the full key to present, {@code prefix-keyId-secret}
 */
public record CreatedApiKey(ApiKey apiKey, String plaintext) {

    public CreatedApiKey {
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(plaintext, "plaintext");
    }

    @Override
    public String toString() {
        return "CreatedApiKey[apiKey=" + apiKey + ", plaintext=<redacted>]";
    }
}
