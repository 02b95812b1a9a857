package io.github.apikey.core.error;

/**
 * A store refused to create a key whose id, key id or hash is already stored.
 */
public final class DuplicateApiKeyException extends ApiKeyException {

    public DuplicateApiKeyException(String message) {
        super(ApiKeyErrorCode.DUPLICATE, message);
    }

    public DuplicateApiKeyException(String message, Throwable cause) {
        super(ApiKeyErrorCode.DUPLICATE, message, cause);
    }
}
