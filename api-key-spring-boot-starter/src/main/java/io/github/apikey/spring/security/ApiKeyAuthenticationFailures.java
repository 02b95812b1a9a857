package io.github.apikey.spring.security;

import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.spring.error.ApiKeyError;

import org.springframework.security.authentication.AccountExpiredException;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.DisabledException;
import org.springframework.security.core.AuthenticationException;

/**
 * Carries core errors through Spring Security and back. A refused key becomes the exact Spring Security exception
 * of its reason, since {@code DefaultAuthenticationEventPublisher} picks the failure event (and Spring Boot's audit
 * its label) by exact class; the core error travels as the cause, so the entry point answers from its code.
 */
final class ApiKeyAuthenticationFailures {

    private ApiKeyAuthenticationFailures() {
    }

    static AuthenticationException toAuthenticationException(ApiKeyException refused) {
        String message = ApiKeyError.of(refused).getDetail();
        return switch (refused.getCode()) {
            case INACTIVE -> new DisabledException(message, refused);
            case EXPIRED -> new AccountExpiredException(message, refused);
            case UNAVAILABLE -> new AuthenticationServiceException(message, refused);
            default -> new BadCredentialsException(message, refused);
        };
    }

    /** The answer to a failed authentication; with no core error behind it, nobody presented a key. */
    static ApiKeyError errorOf(AuthenticationException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ApiKeyException refused) {
                return ApiKeyError.of(refused);
            }
        }
        if (failure instanceof AuthenticationServiceException) {
            return ApiKeyError.of(ApiKeyErrorCode.UNAVAILABLE);
        }
        return ApiKeyError.of(ApiKeyErrorCode.MISSING);
    }
}
