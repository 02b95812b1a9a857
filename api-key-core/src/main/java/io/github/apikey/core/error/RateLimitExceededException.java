package io.github.apikey.core.error;

import io.github.apikey.core.ratelimit.RateLimitDecision;

/**
 * The key's secret matched, but it has spent the budget of one of its rate limits; {@link #getDecision()} says which
 * and when to retry.
 */
public final class RateLimitExceededException extends ApiKeyAuthenticationException {

    public static final String MESSAGE = "API key rate limit exceeded";

    private final transient RateLimitDecision decision;

    public RateLimitExceededException(RateLimitDecision decision) {
        super(ApiKeyErrorCode.RATE_LIMITED, MESSAGE);
        this.decision = decision;
    }

    public RateLimitDecision getDecision() {
        return decision;
    }
}
