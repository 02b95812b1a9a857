package io.github.apikey.spring.security;

import io.github.apikey.core.format.ApiKeyFormat;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * Lets API keys and OAuth2 bearer tokens share one chain. Spring Security's {@code BearerTokenAuthenticationFilter}
 * runs before API key authentication and takes every bearer token it resolves; this resolver resolves none that
 * carries the key prefix, so keys reach API key authentication and every other token the JWT decoder or the
 * introspector.
 *
 * <p>The starter defines one around {@link DefaultBearerTokenResolver} unless the application has a
 * {@code BearerTokenResolver} or an {@code AuthenticationConverter} bean. An application with a resolver of its own
 * wraps it:
 *
 * <pre>{@code
 * @Bean
 * BearerTokenResolver bearerTokenResolver(ApiKeyFormat apiKeyFormat) {
 *     return new ApiKeyBearerTokenResolver(myResolver(), apiKeyFormat);
 * }
 * }</pre>
 */
public final class ApiKeyBearerTokenResolver implements BearerTokenResolver {

    private final BearerTokenResolver delegate;
    private final Supplier<ApiKeyFormat> format;

    /**
     * @param delegate resolves the tokens that are not keys
     * @param format   the key format, whose prefix tells keys from other tokens; asked at the first request
     */
    public ApiKeyBearerTokenResolver(BearerTokenResolver delegate, Supplier<ApiKeyFormat> format) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.format = Objects.requireNonNull(format, "format");
    }

    public ApiKeyBearerTokenResolver(BearerTokenResolver delegate, ApiKeyFormat format) {
        this(delegate, constant(Objects.requireNonNull(format, "format")));
    }

    private static Supplier<ApiKeyFormat> constant(ApiKeyFormat format) {
        return () -> format;
    }

    @Override
    public String resolve(HttpServletRequest request) {
        ApiKeyFormat keyFormat = format.get();
        for (String authorization : Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION))) {
            String token = ApiKeyAuthenticationConverter.bearerToken(authorization);
            if (token != null && keyFormat.hasPrefix(token)) {
                return null;
            }
        }
        return delegate.resolve(request);
    }
}
