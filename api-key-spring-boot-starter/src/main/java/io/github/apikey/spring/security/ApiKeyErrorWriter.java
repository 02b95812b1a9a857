package io.github.apikey.spring.security;

import io.github.apikey.spring.error.ApiKeyError;
import io.github.apikey.spring.error.ProblemResponses;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;

import org.springframework.http.HttpHeaders;

/**
 * Writes an {@link ApiKeyError} as the security filter answers it: the problem, and the challenge of the way the
 * key came. A key in {@code Authorization} is challenged per RFC 6750 ({@code Bearer realm="api", error=...}); a key
 * in the dedicated header with the {@code ApiKey} scheme, which names the header
 * ({@code ApiKey header="X-API-Key", realm="api", error=...}). A request without a key is told both ways, as two
 * challenges in one header (RFC 9110, section 11.6.1). Nothing the client sent is echoed.
 */
final class ApiKeyErrorWriter {

    static final String API_KEY_SCHEME = "ApiKey";

    private final String realm;
    private final String headerName;
    private final Clock clock;

    ApiKeyErrorWriter(ApiKeySecuritySettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock the application's clock, which {@code Retry-After} counts from, as the service counts refills */
    ApiKeyErrorWriter(ApiKeySecuritySettings settings, Clock clock) {
        this.realm = settings.getRealm();
        this.headerName = settings.getHeaderName();
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    void write(HttpServletRequest request, HttpServletResponse response, ApiKeyError error) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (error.isChallenged()) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, challenge(request, error));
        }
        error.getHeaders(clock.instant()).forEach((name, values) -> values.forEach(value -> response.addHeader(name, value)));
        ProblemResponses.write(request, response, error.toProblemDetail());
    }

    private String challenge(HttpServletRequest request, ApiKeyError error) {
        String bearer = "Bearer realm=" + quoted(realm);
        String header = headerName == null ? null
                : API_KEY_SCHEME + " header=" + quoted(headerName) + ", realm=" + quoted(realm);
        if (error.getChallengeError() == null) {
            return header == null ? bearer : bearer + ", " + header;
        }
        StringBuilder challenge = new StringBuilder(presentedInHeader(request) ? header : bearer)
                .append(", error=").append(quoted(error.getChallengeError()))
                .append(", error_description=").append(quoted(error.getDetail()));
        if (!error.getMissingScopes().isEmpty()) {
            challenge.append(", scope=").append(quoted(String.join(" ", error.getMissingScopes())));
        }
        return challenge.toString();
    }

    private boolean presentedInHeader(HttpServletRequest request) {
        if (headerName == null) {
            return false;
        }
        String value = request.getHeader(headerName);
        return value != null && !value.isBlank();
    }

    /** An RFC 9110 quoted-string: backslash-escapes quotes and backslashes, drops control characters. */
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
