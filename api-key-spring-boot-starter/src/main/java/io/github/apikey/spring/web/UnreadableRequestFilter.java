package io.github.apikey.spring.web;

import io.github.apikey.spring.error.ApiKeyError;
import io.github.apikey.spring.error.ProblemResponses;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 400 {@code application/problem+json} when a request cannot even be read: a malformed form body that
 * Spring's {@code FormContentFilter} fails on, or a {@code Content-Type} that Spring cannot parse. Without it these
 * escape every handler (fuzzing found both: a 500, and a 401 from {@code /error} with an ERROR log). It runs first,
 * so it sees them wherever they are thrown; all other failures pass through untouched.
 */
public final class UnreadableRequestFilter extends OncePerRequestFilter {

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | RuntimeException failure) {
            if (!isUnreadableRequest(failure, request)) {
                throw failure;
            }
            badRequest(request, response);
        }
    }

    /** Whether {@code failure}, or a cause of it, says that the request itself could not be read. */
    private static boolean isUnreadableRequest(Throwable failure, HttpServletRequest request) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof HttpMessageNotReadableException || cause instanceof InvalidMediaTypeException
                    || (cause instanceof StringIndexOutOfBoundsException && isUnparsableContentType(request))) {
                return true;
            }
        }
        return false;
    }

    private static boolean isUnparsableContentType(HttpServletRequest request) {
        String contentType = request.getContentType();
        if (contentType == null) {
            return false;
        }
        try {
            MediaType.parseMediaType(contentType);
            return false;
        } catch (RuntimeException unparsable) {
            return true;
        }
    }

    private static void badRequest(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        ApiKeyError unreadable = ApiKeyError.badRequest(null, "The request body or its Content-Type could not be read");
        ProblemResponses.write(request, response, unreadable.toProblemDetail());
    }
}
