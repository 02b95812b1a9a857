package io.github.apikey.core.error;

import java.time.Instant;

/**
 * The key's secret matched, but it has used all its credits. If the key's credits are refilled, {@link #getRetryAt()}
 * says when the next refill is due.
 */
public final class UsageExceededException extends ApiKeyAuthenticationException {

    public static final String MESSAGE = "API key usage exceeded";

    private final transient Instant retryAt;

    public UsageExceededException(Instant retryAt) {
        super(ApiKeyErrorCode.USAGE_EXCEEDED, MESSAGE);
        this.retryAt = retryAt;
    }

    /** When the key's credits are next refilled, or {@code null} if they never are. */
    public Instant getRetryAt() {
        return retryAt;
    }
}
