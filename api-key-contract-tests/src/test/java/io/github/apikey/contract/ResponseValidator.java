package io.github.apikey.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Checks a recorded answer against the OpenAPI document: the route and status are documented, the media type is one
 * the document lists, the required headers are there, and the body is valid against the documented schema (JSON
 * Schema 2020-12, the dialect of OpenAPI 3.1), {@code $ref}s resolved within the document.
 */
final class ResponseValidator {

    private final JsonNode document;
    private final JsonSchemas schemas;

    ResponseValidator(JsonNode document) {
        this.document = document;
        this.schemas = new JsonSchemas(document);
    }

    /** What is wrong with {@code exchange}, one message per fault; empty when the document describes it. */
    List<String> violations(RecordedExchanges.Exchange exchange) {
        List<String> violations = new ArrayList<>();
        String method = exchange.method().toLowerCase(Locale.ROOT);
        String template = template(exchange.path(), method);
        if (template == null) {
            violations.add(exchange + ": no such route in the document");
            return violations;
        }
        JsonNode responses = document.get("paths").get(template).get(method).get("responses");
        String status = String.valueOf(exchange.status());
        JsonNode response = responses.has(status) ? responses.get(status) : responses.get("default");
        if (response == null) {
            violations.add(exchange + ": status not documented for " + method + " " + template);
            return violations;
        }
        JsonNode headers = response.get("headers");
        if (headers != null) {
            for (Map.Entry<String, JsonNode> header : headers.properties()) {
                if (header.getValue().path("required").asBoolean(false) && exchange.header(header.getKey()) == null) {
                    violations.add(exchange + ": required header " + header.getKey() + " missing");
                }
            }
        }
        JsonNode content = response.get("content");
        if (content == null || content.isEmpty()) {
            if (!exchange.body().isEmpty()) {
                violations.add(exchange + ": a body where the document promises none");
            }
            return violations;
        }
        String contentType = exchange.header("Content-Type");
        if (contentType == null || !content.has(contentType)) {
            violations.add(exchange + ": Content-Type " + contentType + " where the document lists "
                    + content.propertyNames());
            return violations;
        }
        schemas.validate(content.get(contentType).get("schema"), exchange.body())
                .forEach(error -> violations.add(exchange + ": " + error + " in " + exchange.body()));
        return violations;
    }

    /** The document's path template that {@code path} is an instance of, for {@code method}. */
    private String template(String path, String method) {
        for (Map.Entry<String, JsonNode> entry : document.get("paths").properties()) {
            String regex = Pattern.quote(entry.getKey()).replaceAll("\\{[^}]+}", "\\\\E[^/]+\\\\Q");
            if (path.matches(regex) && entry.getValue().has(method)) {
                return entry.getKey();
            }
        }
        return null;
    }

}
