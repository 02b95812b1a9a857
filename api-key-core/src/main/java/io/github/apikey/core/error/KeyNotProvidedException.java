package io.github.apikey.core.error;

/**
 * No key was presented.
 */
public final class KeyNotProvidedException extends ApiKeyAuthenticationException {

    public static final String MESSAGE = "API key missing";

    public KeyNotProvidedException() {
        super(ApiKeyErrorCode.MISSING, MESSAGE);
    }
}
