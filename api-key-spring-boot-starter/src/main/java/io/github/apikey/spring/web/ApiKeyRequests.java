package io.github.apikey.spring.web;

import io.github.apikey.spring.security.ApiKeyPrincipal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;

/** Request and response bodies of the management API. */
public final class ApiKeyRequests {

    private ApiKeyRequests() {
    }

    /** {@code POST /api-keys}. */
    public record Create(String name, String description, @JsonProperty("isActive") Boolean isActive,
                         List<String> scopes, Instant expiresAt) {
    }

    /** {@code 201} answer to a create: the plaintext key, shown this once, and the stored key's view. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Created(String apiKey, ApiKeyPrincipal entity) {

        @Override
        public String toString() {
            return "Created[apiKey=<redacted>, entity=" + entity + "]";
        }
    }

    /** {@code PATCH /api-keys/{id}}: absent fields stay as they are. */
    public record Update(String name, String description, @JsonProperty("isActive") Boolean isActive,
                         List<String> scopes, Instant expiresAt, Boolean clearExpires) {
    }

    /** {@code POST /api-keys/search} and {@code /count}: every field optional. */
    public record Search(@JsonProperty("isActive") Boolean isActive, Instant expiresBefore, Instant expiresAfter,
                         Instant createdBefore, Instant createdAfter, Instant lastUsedBefore, Instant lastUsedAfter,
                         Boolean neverUsed, List<String> scopesContainAll, List<String> scopesContainAny,
                         String nameContains, String nameExact, String orderBy, Boolean orderDesc) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page(List<ApiKeyPrincipal> items, long total, int limit, int offset) {
    }

    public record Count(long total) {
    }

    /** {@code POST /api-keys/verify}. */
    public record Verify(String apiKey, List<String> requiredScopes) {

        @Override
        public String toString() {
            return "Verify[apiKey=<redacted>, requiredScopes=" + requiredScopes + "]";
        }
    }
}
