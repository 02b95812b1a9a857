package io.github.apikey.spring.web;

import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.spring.security.ApiKeyPrincipal;

import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ChainVerification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonProperty;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Request and response bodies of the management API. */
public final class ApiKeyRequests {

    private ApiKeyRequests() {
    }

    /** {@code POST /api-keys}. */
    public record Create(String name, String description, @JsonProperty("isActive") Boolean isActive,
                         List<String> scopes, Instant expiresAt, String ownerId, Map<String, Object> metadata,
                         List<String> allowedIps, List<String> allowedOrigins, Long remaining, Refill refill,
                         List<RateLimit> rateLimits) {
    }

    /**
     * {@code 201} answer to a create, and {@code 200} answer to a rotation: the plaintext key, shown this once, and the
     * stored key's view.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Created(String apiKey, ApiKeyPrincipal entity) {

        @Override
        public String toString() {
            return "Created[apiKey=<redacted>, entity=" + entity + "]";
        }
    }

    /**
     * {@code PATCH /api-keys/{id}}: absent or {@code null} fields stay as they are, so that a client that sends every
     * field it knows (as generated clients do) changes nothing by accident; the {@code clear...} flags remove a value.
     */
    public record Update(String name, String description, @JsonProperty("isActive") Boolean isActive,
                         List<String> scopes, Instant expiresAt, Boolean clearExpires, String ownerId,
                         Boolean clearOwnerId, Map<String, Object> metadata, List<String> allowedIps,
                         List<String> allowedOrigins, Long remaining, Refill refill, Boolean clearCredits,
                         Boolean clearRefill, List<RateLimit> rateLimits) {
    }

    /** How a key's credits are restored: to {@code amount} at the start of each UTC day or month. */
    public record Refill(Long amount, CreditRefill.Interval interval) {
    }

    /**
     * One of a key's own rate limits: at most {@code limit} requests per {@code duration}. The duration is text, read by
     * {@link Duration#parse}, rather than a {@code Duration} bound by the application's mapper, which would also take
     * a bare number as seconds: only the ISO-8601 form the document promises is accepted.
     */
    public record RateLimit(String name, Long limit, String duration) {
    }

    /** {@code POST /api-keys/{id}/rotate}: how long the replaced secret keeps working; absent, not at all. */
    public record Rotate(Duration gracePeriod) {
    }

    /** {@code POST /api-keys/search} and {@code /count}: every field optional. */
    public record Search(@JsonProperty("isActive") Boolean isActive, Instant expiresBefore, Instant expiresAfter,
                         Instant createdBefore, Instant createdAfter, Instant lastUsedBefore, Instant lastUsedAfter,
                         Boolean neverUsed, List<String> scopesContainAll, List<String> scopesContainAny,
                         String nameContains, String nameExact, String orderBy, Boolean orderDesc, String ownerId,
                         Map<String, Object> metadata) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Page(List<ApiKeyPrincipal> items, long total, int limit, int offset) {
    }

    public record Count(long total) {
    }

    /**
     * {@code POST /api-keys/verify}: the key, the scopes the caller requires and, for keys restricted to IP ranges or
     * origins, where the request being checked came from.
     */
    public record Verify(String apiKey, List<String> requiredScopes, String clientAddress, String origin) {

        @Override
        public String toString() {
            return "Verify[apiKey=<redacted>, requiredScopes=" + requiredScopes + ", clientAddress=" + clientAddress
                    + ", origin=" + origin + "]";
        }
    }

    /**
     * One audit event: a management operation, who did it from where, how it ended, and its link in the hash chain.
     * {@code details} is the stored JSON object, written as it is hashed, so that a client can recompute the hash.
     */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Event(long sequence, Instant occurredAt, String action, String outcome, UUID apiKeyId, String keyId,
                        String actorType, String actor, String clientAddress, @JsonRawValue String details,
                        String previousHash, String hash) {

        private static final JsonMapper JSON = JsonMapper.builder()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

        public static Event of(ApiKeyEvent event) {
            return new Event(event.sequence(), event.occurredAt(), event.action().wireName(),
                    event.outcome().wireName(), event.apiKeyId(), event.keyId(), event.actor().type().wireName(),
                    event.actor().name(), event.actor().clientAddress(), rawJsonObject(event.details()),
                    event.previousHash(), event.hash());
        }

        /**
         * The stored details as they are, when they are one JSON object, as the library writes them; otherwise (a row
         * edited behind the library, which the chain's check reports) as a JSON string, so that no stored text can
         * change the structure of the response around it.
         */
        static String rawJsonObject(String details) {
            if (details != null) {
                try {
                    if (JSON.readTree(details).isObject()) {
                        return details;
                    }
                } catch (JacksonException notJson) {
                    // Written as a string below.
                }
            }
            return JSON.writeValueAsString(details);
        }
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record EventPage(List<Event> items, long total, int limit, int offset) {
    }

    /** {@code GET /api-keys/events/verify}: whether the chain holds, and where it breaks first. */
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record ChainReport(boolean valid, long checked, Long firstSequence, Long lastSequence, Long brokenAt,
                              String problem) {

        public static ChainReport of(ChainVerification verification) {
            return new ChainReport(verification.valid(), verification.checked(), verification.firstSequence(),
                    verification.lastSequence(), verification.brokenAt(), verification.problem());
        }
    }
}
