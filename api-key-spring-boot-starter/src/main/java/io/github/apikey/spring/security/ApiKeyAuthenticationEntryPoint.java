package io.github.apikey.spring.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Clock;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers requests whose API key is missing or was refused, as {@code ApiKeyError} maps the reason: no key 401
 * {@code API key missing}; malformed, unknown or wrong key 401 {@code API key invalid} with
 * {@code error="invalid_token"}; disabled or expired key, or one used from an address or origin it does not allow
 * (only reported after its secret matched) 403; a key without credits left 429 with {@code Retry-After} until its
 * next refill; a key over its rate limit 429 with {@code Retry-After} and the {@code RateLimit-Policy} and
 * {@code RateLimit} fields; store unavailable 503, since nothing is known about the key.
 */
public final class ApiKeyAuthenticationEntryPoint implements AuthenticationEntryPoint {

    private final ApiKeyErrorWriter errors;

    public ApiKeyAuthenticationEntryPoint(ApiKeySecuritySettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock the clock that {@code Retry-After} counts from: the one the {@code ApiKeyService} uses */
    public ApiKeyAuthenticationEntryPoint(ApiKeySecuritySettings settings, Clock clock) {
        this.errors = new ApiKeyErrorWriter(settings, clock);
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException exception) throws IOException {
        errors.write(request, response, ApiKeyAuthenticationFailures.errorOf(exception));
    }
}
