package io.github.apikey.core.error;

/**
 * The key's secret matched, but the key may not be used from where the request came: its client address or web
 * origin is not among those the key allows. The message names the restriction, never the allowed values.
 */
public final class KeyRestrictedException extends ApiKeyAuthenticationException {

    public static final String ADDRESS_MESSAGE = "API key not allowed from this IP address";
    public static final String ORIGIN_MESSAGE = "API key not allowed from this origin";

    private KeyRestrictedException(ApiKeyErrorCode code, String message) {
        super(code, message);
    }

    /** The client's address is not in the key's allowed IP ranges, or is unknown. */
    public static KeyRestrictedException address() {
        return new KeyRestrictedException(ApiKeyErrorCode.ADDRESS_NOT_ALLOWED, ADDRESS_MESSAGE);
    }

    /** The request's origin is not among the key's allowed origins, or the request has none. */
    public static KeyRestrictedException origin() {
        return new KeyRestrictedException(ApiKeyErrorCode.ORIGIN_NOT_ALLOWED, ORIGIN_MESSAGE);
    }
}
