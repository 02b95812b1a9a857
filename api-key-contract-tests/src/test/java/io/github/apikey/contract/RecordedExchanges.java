package io.github.apikey.contract;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.util.ContentCachingResponseWrapper;

/** The answers the server gave, exactly as they left it, for checking against the document. */
final class RecordedExchanges {

    private static final List<Exchange> EXCHANGES = new CopyOnWriteArrayList<>();

    private RecordedExchanges() {
    }

    static List<Exchange> all() {
        return new ArrayList<>(EXCHANGES);
    }

    static void clear() {
        EXCHANGES.clear();
    }

    /** One answer: the request line, and the status, headers and body of the response. */
    record Exchange(String method, String path, int status, Map<String, String> headers, String body) {

        String header(String name) {
            return headers.entrySet().stream().filter(header -> header.getKey().equalsIgnoreCase(name))
                    .map(Map.Entry::getValue).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return method + " " + path + " -> " + status;
        }
    }

    /** Records the management API's answers; the document's own route is not part of the contract. */
    static final class RecordingFilter extends OncePerRequestFilter {

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            if (request.getRequestURI().startsWith("/v3/api-docs")) {
                chain.doFilter(request, response);
                return;
            }
            ContentCachingResponseWrapper recorded = new ContentCachingResponseWrapper(response);
            try {
                chain.doFilter(request, recorded);
            } finally {
                Map<String, String> headers = new LinkedHashMap<>();
                for (String name : recorded.getHeaderNames()) {
                    headers.put(name, recorded.getHeader(name));
                }
                if (recorded.getContentType() != null) {
                    headers.put("Content-Type", recorded.getContentType());
                }
                EXCHANGES.add(new Exchange(request.getMethod(), request.getRequestURI(), recorded.getStatus(), headers,
                        new String(recorded.getContentAsByteArray(), StandardCharsets.UTF_8)));
                recorded.copyBodyToResponse();
            }
        }
    }
}
