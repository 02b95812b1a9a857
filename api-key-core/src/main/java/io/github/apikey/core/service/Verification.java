package io.github.apikey.core.service;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.ratelimit.RateLimitDecision;

/**
 * A successful verification: the key, the state of its rate limits for response headers, and which of its secrets
 * was presented.
 *
 * @param key            the verified key, with its last-used time (and credits) updated
 * @param rateLimit      the decision of the rate limiter, or {@code null} if no rate limit applies to the key, or the
 *                       limiter did not count the request (its store was down and it lets requests through)
 * @param previousSecret whether the secret presented was the one a rotation replaced, which keeps working until
 *                       {@link ApiKey#getPreviousSecretExpiresAt()}: a client still using it should be told when it
 *                       stops
 */
public record Verification(ApiKey key, RateLimitDecision rateLimit, boolean previousSecret) {

    /** A verification with the key's current secret. */
    public Verification(ApiKey key, RateLimitDecision rateLimit) {
        this(key, rateLimit, false);
    }
}
