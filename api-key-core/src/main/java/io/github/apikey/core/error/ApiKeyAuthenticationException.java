package io.github.apikey.core.error;

/**
 * A presented key was refused. Subtypes say why; their messages are the texts clients may see.
 */
public abstract sealed class ApiKeyAuthenticationException extends ApiKeyException
        permits KeyNotProvidedException, InvalidKeyException, KeyInactiveException, KeyExpiredException,
        InsufficientScopesException, KeyRestrictedException, UsageExceededException,
        RateLimitExceededException {

    protected ApiKeyAuthenticationException(ApiKeyErrorCode code, String message) {
        super(code, message, false);
    }
}
