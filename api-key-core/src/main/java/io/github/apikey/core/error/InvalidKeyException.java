package io.github.apikey.core.error;

/**
 * The presented key is malformed, unknown, or its secret does not match. The three cases are deliberately indistinguishable.
 */
public final class InvalidKeyException extends ApiKeyAuthenticationException {

    public static final String MESSAGE = "API key invalid";

    public InvalidKeyException() {
        super(ApiKeyErrorCode.INVALID, MESSAGE);
    }
}
