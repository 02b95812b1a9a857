package io.github.apikey.contract;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The validator that checks the client run's answers finds what the document does not describe. */
class ResponseValidatorTests {

    private static final String KEY = """
            {"id":"0b0c5d6e-4b8f-4a53-9d1e-2f1f3c4d5e6f","keyId":"0123456789abcdef","name":"k","description":null,
             "isActive":true,"scopes":["read"],"createdAt":"2026-06-01T00:00:00Z","expiresAt":null,"lastUsedAt":null,
             "ownerId":null,"metadata":{},"allowedIps":[],"allowedOrigins":[],"remaining":null,"refill":null,
             "rateLimits":[],"rotatedAt":null,"previousSecretExpiresAt":null}""";

    private final ResponseValidator validator = new ResponseValidator(snapshot());

    private static tools.jackson.databind.JsonNode snapshot() {
        try {
            return OpenApiSnapshotTests.JSON.readTree(Files.readString(Path.of(System.getProperty("openapi.snapshot"))));
        } catch (java.io.IOException unreadable) {
            throw new IllegalStateException(unreadable);
        }
    }

    private static RecordedExchanges.Exchange answer(String method, String path, int status, String contentType,
                                                     String body) {
        return new RecordedExchanges.Exchange(method, path, status,
                contentType == null ? Map.of() : Map.of("Content-Type", contentType), body);
    }

    @Test
    void aDocumentedAnswerHasNoViolation() {
        assertThat(validator.violations(answer("GET", "/api-keys/0b0c5d6e-4b8f-4a53-9d1e-2f1f3c4d5e6f", 200,
                "application/json", KEY))).isEmpty();
    }

    @Test
    void undocumentedAnswersAreViolations() {
        String path = "/api-keys/0b0c5d6e-4b8f-4a53-9d1e-2f1f3c4d5e6f";
        assertThat(validator.violations(answer("GET", path, 200, "application/json",
                KEY.replace("\"description\":null", "\"description\":42")))).singleElement().asString()
                .contains("description");
        assertThat(validator.violations(answer("GET", path, 200, "application/json",
                KEY.replace("\"id\":\"0b0c5d6e-4b8f-4a53-9d1e-2f1f3c4d5e6f\",", "")))).singleElement().asString()
                .contains("id");
        assertThat(validator.violations(answer("GET", path, 418, "application/json", KEY))).singleElement()
                .asString().contains("status not documented");
        assertThat(validator.violations(answer("GET", path, 404, "application/json", "{}"))).singleElement()
                .asString().contains("Content-Type");
        assertThat(validator.violations(answer("PUT", path, 200, "application/json", KEY))).singleElement()
                .asString().contains("no such route");
        String created = "{\"apiKey\":\"ak_v1-x\",\"entity\":" + KEY + "}";
        assertThat(validator.violations(new RecordedExchanges.Exchange("POST", "/api-keys", 201,
                Map.of("Content-Type", "application/json", "Cache-Control", "no-store"), created))).singleElement()
                .asString().contains("Location");
        assertThat(validator.violations(answer("POST", path + "/rotate", 200, "application/json", created)))
                .singleElement().asString().contains("Cache-Control");
        assertThat(validator.violations(answer("GET", path, 200, "application/json",
                KEY.replace("\"refill\":null", "\"refill\":{\"amount\":5,\"interval\":\"WEEKLY\"}"))))
                .isNotEmpty().allSatisfy(violation -> assertThat(violation).contains("refill"));
        assertThat(validator.violations(answer("DELETE", path, 204, null, "{}"))).singleElement().asString()
                .contains("promises none");
    }
}
