package io.github.apikey.spring.web;

import io.github.apikey.core.error.ApiKeyAuthenticationException;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyNotProvidedException;

import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import tools.jackson.databind.DatabindException;

/**
 * Turns every failure of the management API into {@code application/problem+json}: 400 naming the offending field
 * (in {@code detail} and in a {@code field} property), 404 for unknown ids, 409 for clashes, the 401 and 403
 * answers of API key authentication for {@code /verify}, and 503 when the store cannot answer. Spring MVC's own
 * errors (wrong method, media type, ...) get their standard problem answers. Nothing ends in a 500.
 */
@RestControllerAdvice(assignableTypes = ApiKeyController.class)
public class ApiKeyControllerAdvice extends ResponseEntityExceptionHandler {

    @ExceptionHandler(ApiKeyValidationException.class)
    ProblemDetail invalidField(ApiKeyValidationException exception) {
        return badRequest(exception.getField(), exception.getMessage());
    }

    @ExceptionHandler(ApiKeyNotFoundException.class)
    ProblemDetail notFound(ApiKeyNotFoundException exception) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, exception.getMessage());
    }

    @ExceptionHandler(DuplicateApiKeyException.class)
    ProblemDetail conflict(DuplicateApiKeyException exception) {
        return ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, exception.getMessage());
    }

    @ExceptionHandler(ApiKeyStoreException.class)
    ResponseEntity<ProblemDetail> unavailable(ApiKeyStoreException exception) {
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5")
                .body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                        "API key store temporarily unavailable"));
    }

    /** The answers of the security filter for the same failures; the message is the client-facing text. */
    @ExceptionHandler(ApiKeyAuthenticationException.class)
    ProblemDetail refused(ApiKeyAuthenticationException exception) {
        HttpStatus status = exception instanceof KeyNotProvidedException || exception instanceof InvalidKeyException
                ? HttpStatus.UNAUTHORIZED : HttpStatus.FORBIDDEN;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, exception.getMessage());
        if (exception instanceof InsufficientScopesException scopes) {
            problem.setProperty("missingScopes", scopes.getMissingScopes());
        }
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException exception,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        String field = fieldOf(exception);
        String detail = field == null ? "Request body is missing or is not valid JSON"
                : "Field '" + field + "' has a value of the wrong type or format";
        return ResponseEntity.badRequest().headers(headers).body(badRequest(field, detail));
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
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
        if (field != null) {
            problem.setProperty("field", field);
        }
        return problem;
    }

    /** The JSON path of the value that failed to bind, for example {@code expiresAt} or {@code scopes[0]}. */
    private static String fieldOf(HttpMessageNotReadableException exception) {
        for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
            if (cause instanceof DatabindException databind && !databind.getPath().isEmpty()) {
                return databind.getPath().stream()
                        .map(reference -> reference.getPropertyName() != null ? reference.getPropertyName()
                                : "[" + reference.getIndex() + "]")
                        .collect(Collectors.joining(".")).replace(".[", "[");
            }
        }
        return null;
    }
}
