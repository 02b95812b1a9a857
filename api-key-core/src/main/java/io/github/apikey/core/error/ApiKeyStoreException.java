package io.github.apikey.core.error;

/**
 * The store could not answer (database down, timeout, ...). Adapters translate it into "service unavailable",
 * never into an authentication failure, since nothing is known about the presented key.
 */
public class ApiKeyStoreException extends ApiKeyException {

    public ApiKeyStoreException(String message, Throwable cause) {
        super(ApiKeyErrorCode.UNAVAILABLE, message, cause);
    }
}
