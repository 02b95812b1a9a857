package io.github.apikey.core.error;

/**
 * Root of every error the API key library raises. Messages never contain a plaintext key, a secret or the
 * pepper, so they are safe to log and to show to clients.
 */
public abstract class ApiKeyException extends RuntimeException {

    private final ApiKeyErrorCode code;

    protected ApiKeyException(ApiKeyErrorCode code, String message) {
        super(message);
        this.code = requireCode(code);
    }

    protected ApiKeyException(ApiKeyErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = requireCode(code);
    }

    /**
     * For errors raised on the verification hot path: a flood of bad keys must not pay for stack traces.
     */
    protected ApiKeyException(ApiKeyErrorCode code, String message, boolean writableStackTrace) {
        super(message, null, false, writableStackTrace);
        this.code = requireCode(code);
    }

    /** Why the operation failed; adapters map it to their answers instead of matching exception types. */
    public ApiKeyErrorCode getCode() {
        return code;
    }

    private static ApiKeyErrorCode requireCode(ApiKeyErrorCode code) {
        if (code == null) {
            throw new IllegalArgumentException("An API key error needs a code");
        }
        return code;
    }
}
