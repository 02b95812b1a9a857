package io.github.apikey.spring.security;

import io.github.apikey.spring.support.JsonText;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Objects;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Writes the RFC 9457 {@code application/problem+json} answers and RFC 6750 {@code WWW-Authenticate} challenges of
 * API key authentication. Runs in filters, before any message converter, so it writes JSON itself. Nothing a
 * client sent, other than the request path, is echoed.
 */
final class ApiKeyProblemWriter {

    private final String realm;

    ApiKeyProblemWriter(String realm) {
        this.realm = Objects.requireNonNull(realm, "realm");
    }

    /** 401 with a bare challenge, or with {@code error="invalid_token"} when a key was presented. */
    void unauthorized(HttpServletRequest request, HttpServletResponse response, String detail, boolean keyPresented)
            throws IOException {
        String challenge = "Bearer realm=" + quoted(realm);
        if (keyPresented) {
            challenge += ", error=\"invalid_token\", error_description=" + quoted(detail);
        }
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge);
        write(request, response, HttpStatus.UNAUTHORIZED, detail);
    }

    /** 403 naming the scopes the key lacks, with an {@code insufficient_scope} challenge. */
    void insufficientScopes(HttpServletRequest request, HttpServletResponse response, Collection<String> missing)
            throws IOException {
        String detail = missing.stream().map(scope -> "'" + scope + "'")
                .collect(Collectors.joining(", ", "API key missing required scopes ", ""));
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=" + quoted(realm)
                + ", error=\"insufficient_scope\", error_description=" + quoted(detail)
                + ", scope=" + quoted(String.join(" ", missing)));
        write(request, response, HttpStatus.FORBIDDEN, detail);
    }

    void problem(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        write(request, response, status, detail);
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
                              String detail) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        String body = "{\"type\":\"about:blank\",\"title\":" + JsonText.quote(status.getReasonPhrase())
                + ",\"status\":" + status.value() + ",\"detail\":" + JsonText.quote(detail)
                + ",\"instance\":" + JsonText.quote(request.getRequestURI()) + "}";
        response.getOutputStream().write(body.getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    /** An RFC 7230 quoted-string: backslash-escapes quotes and backslashes, drops control characters. */
    private static String quoted(String value) {
        StringBuilder quoted = new StringBuilder(value.length() + 2).append('"');
        for (char c : value.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c >= 0x20 && c < 0x7f) {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
