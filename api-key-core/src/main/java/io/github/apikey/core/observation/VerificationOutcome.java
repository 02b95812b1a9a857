package io.github.apikey.core.observation;

import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.core.error.ApiKeyException;

import java.util.Locale;

/**
 * How a verification ended, as a label for metrics and traces: one value per answer a client can get, so that
 * refusals can be counted by reason. {@link #tagValue()} is the lower-case form used as a tag.
 */
public enum VerificationOutcome {

    /** The key passed every check. */
    VALID,
    /** No key was presented. */
    MISSING,
    /** Malformed, unknown, or a secret that does not match: deliberately one value for all three. */
    INVALID,
    INACTIVE,
    EXPIRED,
    INSUFFICIENT_SCOPE,
    /** The key may not be used from the client's IP address. */
    ADDRESS_NOT_ALLOWED,
    /** The key may not be used from the request's web origin. */
    ORIGIN_NOT_ALLOWED,
    /** The key has no usage credits left. */
    USAGE_EXCEEDED,
    /** The key is over one of its rate limits. */
    RATE_LIMITED,
    /** The store or the hashing capacity could not answer (503). */
    UNAVAILABLE,
    /** Anything else: an unexpected exception. */
    ERROR;

    private final String tagValue = name().toLowerCase(Locale.ROOT);

    /** The outcome's name in lower case, for example {@code insufficient_scope}. */
    public String tagValue() {
        return tagValue;
    }

    /** The outcome of a verification that ended with {@code failure}. */
    public static VerificationOutcome of(RuntimeException failure) {
        if (!(failure instanceof ApiKeyException apiKeyException)) {
            return ERROR;
        }
        return of(apiKeyException.getCode());
    }

    static VerificationOutcome of(ApiKeyErrorCode code) {
        return switch (code) {
            case MISSING -> MISSING;
            case INVALID -> INVALID;
            case INACTIVE -> INACTIVE;
            case EXPIRED -> EXPIRED;
            case INSUFFICIENT_SCOPE -> INSUFFICIENT_SCOPE;
            case ADDRESS_NOT_ALLOWED -> ADDRESS_NOT_ALLOWED;
            case ORIGIN_NOT_ALLOWED -> ORIGIN_NOT_ALLOWED;
            case USAGE_EXCEEDED -> USAGE_EXCEEDED;
            case RATE_LIMITED -> RATE_LIMITED;
            case UNAVAILABLE -> UNAVAILABLE;
            case NOT_FOUND, VALIDATION, DUPLICATE -> ERROR;
        };
    }
}
