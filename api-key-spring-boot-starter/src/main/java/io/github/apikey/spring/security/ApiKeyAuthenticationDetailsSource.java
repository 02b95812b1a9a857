package io.github.apikey.spring.security;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AuthenticationDetailsSource;

/** Builds {@link ApiKeyAuthenticationDetails}, as {@code WebAuthenticationDetailsSource} builds its details. */
public final class ApiKeyAuthenticationDetailsSource
        implements AuthenticationDetailsSource<HttpServletRequest, ApiKeyAuthenticationDetails> {

    @Override
    public ApiKeyAuthenticationDetails buildDetails(HttpServletRequest request) {
        return new ApiKeyAuthenticationDetails(request);
    }
}
