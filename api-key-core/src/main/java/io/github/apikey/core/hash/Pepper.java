package io.github.apikey.core.hash;

import java.nio.charset.StandardCharsets;

/**
 * The server-side secret every hasher mixes in. Kept as bytes so that it never turns up in a {@code toString}.
 */
final class Pepper {

    static final String HOW_TO_SET = "set a long random secret (at least 32 characters), in Spring Boot through the "
            + "property 'api-key.pepper' or the environment variable API_KEY_PEPPER";

    private Pepper() {
    }

    static byte[] requireBytes(String pepper) {
        if (pepper == null || pepper.isBlank()) {
            throw new IllegalArgumentException("An API key pepper is required: " + HOW_TO_SET);
        }
        return pepper.getBytes(StandardCharsets.UTF_8);
    }
}
