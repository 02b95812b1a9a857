package io.github.apikey.core.error;

/**
 * Root of every error the API key library raises. Messages never contain a plaintext key, a secret or the
 * pepper, so they are safe to log and to show to clients.
 */
public abstract class ApiKeyException extends RuntimeException {

    protected ApiKeyException(String message) {
        super(message);
    }

    protected ApiKeyException(String message, Throwable cause) {
        super(message, cause);
    }

    /**
     * For errors raised on the verification hot path: a flood of bad keys must not pay for stack traces.
     */
    protected ApiKeyException(String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
    }
}
