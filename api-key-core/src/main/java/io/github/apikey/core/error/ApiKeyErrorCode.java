package io.github.apikey.core.error;

/**
 * Why an operation on API keys failed, as a stable value that adapters map to their own answers (an HTTP status, an
 * audit label, a metric tag) without inspecting exception types or messages. Every {@link ApiKeyException} carries
 * one.
 */
public enum ApiKeyErrorCode {

    /** No key was presented. */
    MISSING,

    /** The presented key is malformed, unknown, or its secret does not match: deliberately one code for all three. */
    INVALID,

    /** The key's secret matched, but the key is disabled. */
    INACTIVE,

    /** The key's secret matched, but its expiry has passed. */
    EXPIRED,

    /** The key is usable but lacks scopes the caller requires. */
    INSUFFICIENT_SCOPE,

    /** The key's secret matched, but the key may not be used from the client's IP address. */
    ADDRESS_NOT_ALLOWED,

    /** The key's secret matched, but the key may not be used from the request's web origin. */
    ORIGIN_NOT_ALLOWED,

    /** The key's secret matched, but it has no usage credits left until its next refill. */
    USAGE_EXCEEDED,

    /** The key's secret matched, but it has spent the budget of one of its rate limits for the current window. */
    RATE_LIMITED,

    /** The store or the hashing capacity cannot answer now; nothing is known about the key. Try again shortly. */
    UNAVAILABLE,

    /** An administrative operation named a key that is not stored. */
    NOT_FOUND,

    /** A request to create or change a key carries a value that is not allowed. */
    VALIDATION,

    /** A key with the same id, key id or hash is already stored. */
    DUPLICATE
}
