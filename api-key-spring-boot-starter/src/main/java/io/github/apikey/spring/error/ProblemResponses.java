package io.github.apikey.spring.error;

import io.github.apikey.spring.support.JsonText;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

/**
 * Writes a {@link ProblemDetail} as {@code application/problem+json} from a servlet filter, where no message
 * converter runs yet; the same members, in the same shape, that Spring MVC writes for a returned problem (which
 * leaves out a {@code type} that is not set: RFC 9457 reads it as {@code about:blank}). Nothing a client sent is
 * echoed other than the request path, as {@code instance}.
 */
public final class ProblemResponses {

    private ProblemResponses() {
    }

    public static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(problem.getStatus());
        // No charset parameter: JSON is UTF-8 by definition (RFC 8259), and Spring MVC writes problems without one,
        // so an answer reads the same whether a filter or a controller gave it.
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        StringBuilder json = new StringBuilder(256).append('{');
        if (problem.getType() != null) {
            json.append("\"type\":").append(JsonText.quote(problem.getType().toString())).append(',');
        }
        json.append("\"title\":").append(JsonText.quote(problem.getTitle()))
                .append(",\"status\":").append(problem.getStatus())
                .append(",\"detail\":").append(JsonText.quote(problem.getDetail()))
                .append(",\"instance\":").append(JsonText.quote(request.getRequestURI()));
        Map<String, Object> properties = problem.getProperties();
        if (properties != null) {
            properties.forEach((name, value) -> json.append(',').append(JsonText.quote(name)).append(':')
                    .append(jsonValue(value)));
        }
        response.getOutputStream().write(json.append('}').toString().getBytes(StandardCharsets.UTF_8));
        response.flushBuffer();
    }

    /** Problems built here hold strings and lists of strings only. */
    private static String jsonValue(Object value) {
        if (value instanceof Collection<?> values) {
            return values.stream().map(element -> JsonText.quote(String.valueOf(element)))
                    .collect(Collectors.joining(",", "[", "]"));
        }
        return value == null ? "null" : JsonText.quote(String.valueOf(value));
    }
}
