package io.github.apikey.spring.web;

import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.spring.error.ApiKeyError;

import java.util.stream.Collectors;

import org.springframework.beans.TypeMismatchException;
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

import tools.jackson.databind.DatabindException;

/**
 * Turns every failure of the management API into {@code application/problem+json}: 400 naming the offending field
 * (in {@code detail} and in a {@code field} property), 404 for unknown ids, 409 for clashes, the 401 and 403
 * answers of API key authentication for {@code /verify}, and 503 when the store cannot answer. Each core error is
 * answered as {@link ApiKeyError} maps its code, the same mapping the security filter answers with; Spring MVC's
 * own errors (wrong method, media type, ...) get their standard problem answers. Nothing ends in a 500.
 */
@RestControllerAdvice(assignableTypes = ApiKeyController.class)
public class ApiKeyControllerAdvice extends ResponseEntityExceptionHandler {

    /**
     * No {@code WWW-Authenticate} here: a refused key in a {@code /verify} body says nothing about the credentials
     * of the request, which passed.
     */
    @ExceptionHandler(ApiKeyException.class)
    ResponseEntity<ProblemDetail> apiKeyError(ApiKeyException exception) {
        ApiKeyError error = ApiKeyError.of(exception);
        return ResponseEntity.status(error.getStatus()).headers(error.getHeaders()).body(error.toProblemDetail());
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
        return ApiKeyError.badRequest(field, detail).toProblemDetail();
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
