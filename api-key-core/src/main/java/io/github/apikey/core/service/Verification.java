package io.github.apikey.core.service;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.ratelimit.RateLimitDecision;

/**
 * A successful verification: the key, and the state of its rate limits for response headers.
 *
 * @param key       the verified key, with its last-used time (and credits) updated
 * @param rateLimit the decision of the rate limiter, or {@code null} if no rate limit applies to the key
 */
public record Verification(ApiKey key, RateLimitDecision rateLimit) {
}
