package io.github.apikey.core.error;

/**
 * The key's secret matched, but its expiry has passed.
 */
public final class KeyExpiredException extends ApiKeyAuthenticationException {

    public static final String MESSAGE = "API key expired";

    public KeyExpiredException() {
        super(ApiKeyErrorCode.EXPIRED, MESSAGE);
    }
}
