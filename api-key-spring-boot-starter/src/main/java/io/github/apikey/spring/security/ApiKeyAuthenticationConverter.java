package io.github.apikey.spring.security;

import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.format.ApiKeyFormat;

import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Finds an API key in a request: in {@code Authorization: Bearer <key>} when the token carries the key prefix
 * (other bearer tokens, such as JWTs, are left to whoever handles them), and, when configured, in a dedicated
 * header such as {@code X-API-Key}. Query parameters are never read: URLs end up in logs.
 *
 * <p>Returns {@code null} when the request carries no key. A request carrying more than one key is refused as an
 * invalid key, since it is ambiguous which one to check.
 *
 * <p>Never expose this converter as a bean: Spring Security's resource server would take any
 * {@code AuthenticationConverter} bean as its own.
 */
public final class ApiKeyAuthenticationConverter implements AuthenticationConverter {

    private static final String BEARER = "bearer";

    private final Supplier<ApiKeyFormat> format;
    private final String headerName;

    /**
     * @param format     the key format, whose prefix tells our bearer tokens from others; asked at the first request
     * @param headerName a header that carries only API keys, or {@code null} for none
     */
    public ApiKeyAuthenticationConverter(Supplier<ApiKeyFormat> format, String headerName) {
        this.format = Objects.requireNonNull(format, "format");
        this.headerName = headerName == null || headerName.isBlank() ? null : headerName.strip();
    }

    public ApiKeyAuthenticationConverter(ApiKeyFormat format, String headerName) {
        this(constant(Objects.requireNonNull(format, "format")), headerName);
    }

    private static Supplier<ApiKeyFormat> constant(ApiKeyFormat format) {
        return () -> format;
    }

    @Override
    public ApiKeyAuthenticationToken convert(HttpServletRequest request) {
        ApiKeyFormat keyFormat = format.get();
        List<String> keys = new ArrayList<>(2);
        for (String token : bearerTokens(request)) {
            if (keyFormat.hasPrefix(token)) {
                keys.add(token);
            }
        }
        if (headerName != null) {
            for (String value : Collections.list(request.getHeaders(headerName))) {
                if (!value.isBlank()) {
                    keys.add(value.strip());
                }
            }
        }
        if (keys.isEmpty()) {
            return null;
        }
        if (keys.size() > 1) {
            throw ApiKeyAuthenticationFailures.toAuthenticationException(new InvalidKeyException());
        }
        return ApiKeyAuthenticationToken.unauthenticated(keys.get(0));
    }

    /** Whether the request carries something this converter would treat as an API key. */
    public boolean carriesKey(HttpServletRequest request) {
        try {
            return convert(request) != null;
        } catch (RuntimeException ambiguous) {
            return true;
        }
    }

    /** The first bearer token of the request that does not carry the key prefix, or {@code null}. */
    public String otherBearerToken(HttpServletRequest request) {
        ApiKeyFormat keyFormat = format.get();
        for (String token : bearerTokens(request)) {
            if (!keyFormat.hasPrefix(token)) {
                return token;
            }
        }
        return null;
    }

    private static List<String> bearerTokens(HttpServletRequest request) {
        List<String> tokens = new ArrayList<>(1);
        for (String authorization : Collections.list(request.getHeaders(HttpHeaders.AUTHORIZATION))) {
            String token = bearerToken(authorization);
            if (token != null) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    /** The token of an {@code Authorization: Bearer <token>} value, the scheme in any case; {@code null} if none. */
    static String bearerToken(String authorization) {
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())
                || authorization.charAt(BEARER.length()) != ' ') {
            return null;
        }
        String token = authorization.substring(BEARER.length() + 1).strip();
        return token.isEmpty() ? null : token;
    }
}
