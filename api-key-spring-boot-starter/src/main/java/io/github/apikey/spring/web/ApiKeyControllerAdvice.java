package io.github.apikey.spring.web;

import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.spring.error.ApiKeyError;
import io.github.apikey.spring.error.RateLimitHeaders;
import io.github.apikey.spring.security.ApiKeySecuritySettings;

import java.time.Clock;
import java.util.Objects;
import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Turns every failure of the management API into {@code application/problem+json}: 400 naming the offending field
 * (in {@code detail} and in a {@code field} property), 404 for unknown ids, 409 for clashes, the 401, 403 and 429
 * answers of API key authentication for {@code /verify}, and 503 when the store cannot answer. Each core error is
 * answered as {@link ApiKeyError} maps its code, the same mapping the security filter answers with; Spring MVC's
 * own errors (wrong method, media type, ...) get their standard problem answers. Nothing ends in a 500.
 *
 * <p>It takes precedence over every other advice (Spring Boot's {@code spring.mvc.problemdetails.enabled} handler
 * among them), but only for {@link ApiKeyController}: otherwise a 400 of the management API would lose its
 * {@code field}.
 */
@RestControllerAdvice(assignableTypes = ApiKeyController.class)
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApiKeyControllerAdvice extends ResponseEntityExceptionHandler {

    /** Names the whole request body in {@code field} when no single field of it is at fault. */
    public static final String BODY_FIELD = "body";

    private final String challenge;
    private final Clock clock;

    public ApiKeyControllerAdvice() {
        this(ApiKeySecuritySettings.DEFAULTS);
    }

    public ApiKeyControllerAdvice(ApiKeySecuritySettings settings) {
        this(settings, Clock.systemUTC());
    }

    /** @param clock the clock that {@code Retry-After} counts from: the one the {@code ApiKeyService} uses */
    public ApiKeyControllerAdvice(ApiKeySecuritySettings settings, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.challenge = "Bearer realm=\"" + Objects.requireNonNull(settings, "settings").getRealm()
                .replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /**
     * A 401 carries a bare challenge, as HTTP requires of every 401 (RFC 9110, section 15.5.2); without an
     * {@code error} code, since the refused key is the one in the {@code /verify} body, not the request's own, which
     * passed. The problem {@code type} tells the two apart.
     */
    @ExceptionHandler(ApiKeyException.class)
    ResponseEntity<ProblemDetail> apiKeyError(ApiKeyException exception) {
        ApiKeyError error = ApiKeyError.of(exception);
        HttpHeaders headers = error.getHeaders(clock.instant());
        // On this API the RateLimit fields describe the caller's own key (the filter set them); a key refused in a
        // /verify body is told by Retry-After and the problem only.
        headers.remove(RateLimitHeaders.RATE_LIMIT_POLICY);
        headers.remove(RateLimitHeaders.RATE_LIMIT);
        if (error.getStatus().value() == 401) {
            headers.set(HttpHeaders.WWW_AUTHENTICATE, challenge);
        }
        return ResponseEntity.status(error.getStatus()).headers(headers).body(error.toProblemDetail());
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        UnrecognizedPropertyException unknown = causeOf(exception, UnrecognizedPropertyException.class);
        if (unknown != null) {
            String field = unknown.getPropertyName();
            return ResponseEntity.badRequest().headers(headers).body(badRequest(field,
                    "Field '" + field + "' is not a field of this request"));
        }
        String field = fieldOf(exception);
        if (field == null) {
            return ResponseEntity.badRequest().headers(headers).body(badRequest(BODY_FIELD,
                    "Field 'body': the request body is missing or is not valid JSON"));
        }
        return ResponseEntity.badRequest().headers(headers).body(badRequest(field,
                "Field '" + field + "' has a value of the wrong type or format"));
    }

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException exception, HttpHeaders headers,
                                                        HttpStatusCode status, WebRequest request) {
        String field = exception instanceof MethodArgumentTypeMismatchException argument ? argument.getName()
                : exception.getPropertyName();
        return ResponseEntity.badRequest().headers(headers)
                .body(badRequest(field, "Parameter '" + field + "' has a value of the wrong type or format"));
    }

    private static ProblemDetail badRequest(String field, String detail) {
        return ApiKeyError.badRequest(field, detail).toProblemDetail();
    }

    private static <T extends Throwable> T causeOf(Throwable exception, Class<T> type) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    /**
     * The JSON path of the value that failed to bind, for example {@code expiresAt} or {@code scopes[0]}; {@code null}
     * when the body as a whole could not be read (missing, empty, not JSON).
     */
    private static String fieldOf(HttpMessageNotReadableException exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                return jackson.getPath().stream()
                        .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                                : "[" + reference.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
            }
        }
        return null;
    }
}
