package io.github.apikey.spring.security;

import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyNotProvidedException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * Answers requests whose API key is missing or was refused:
 * <ul>
 *   <li>no key: 401 {@code API key missing};</li>
 *   <li>malformed, unknown or wrong key: 401 {@code API key invalid}, {@code error="invalid_token"};</li>
 *   <li>disabled or expired key (only reported after its secret matched): 403;</li>
 *   <li>store unavailable: 503, since nothing is known about the key.</li>
 * </ul>
 */
public final class ApiKeyAuthenticationEntryPoint implements AuthenticationEntryPoint {

    static final String STORE_UNAVAILABLE = "API key verification is temporarily unavailable";

    private final ApiKeyProblemWriter problems;

    public ApiKeyAuthenticationEntryPoint(String realm) {
        this.problems = new ApiKeyProblemWriter(realm);
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response,
                         AuthenticationException exception) throws IOException {
        if (exception instanceof InactiveApiKeyException || exception instanceof ExpiredApiKeyException) {
            problems.problem(request, response, HttpStatus.FORBIDDEN, exception.getMessage());
        } else if (exception instanceof AuthenticationServiceException) {
            response.setHeader("Retry-After", "5");
            problems.problem(request, response, HttpStatus.SERVICE_UNAVAILABLE, STORE_UNAVAILABLE);
        } else if (exception instanceof InvalidApiKeyException) {
            problems.unauthorized(request, response, InvalidKeyException.MESSAGE, true);
        } else {
            problems.unauthorized(request, response, KeyNotProvidedException.MESSAGE, false);
        }
    }
}
