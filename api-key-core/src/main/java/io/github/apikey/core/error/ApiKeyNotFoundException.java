package io.github.apikey.core.error;

import java.util.UUID;

/**
 * An administrative operation named a key id that is not stored. Never raised by verification, which reports
 * unknown keys as {@link InvalidKeyException}.
 */
public final class ApiKeyNotFoundException extends ApiKeyException {

    private final UUID id;

    public ApiKeyNotFoundException(UUID id) {
        super(ApiKeyErrorCode.NOT_FOUND, "API key " + id + " not found");
        this.id = id;
    }

    public UUID getId() {
        return id;
    }
}
