package io.github.apikey.core.error;

/**
 * The key's secret matched, but the key is disabled.
 */
public final class KeyInactiveException extends ApiKeyAuthenticationException {

    public static final String MESSAGE = "API key inactive";

    public KeyInactiveException() {
        super(ApiKeyErrorCode.INACTIVE, MESSAGE);
    }
}
