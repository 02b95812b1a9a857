package io.github.apikey.spring.web;

import io.github.apikey.core.domain.ApiKey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A key's public view: what the management API shows, never its hash or secret. Absent values are written as
 * {@code null}, whatever the application's Jackson settings.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiKeyView(UUID id, String keyId, String name, String description,
                         @JsonProperty("isActive") boolean isActive, List<String> scopes, Instant createdAt,
                         Instant expiresAt, Instant lastUsedAt) {

    public static ApiKeyView of(ApiKey key) {
        return new ApiKeyView(key.getId(), key.getKeyId(), key.getName(), key.getDescription(), key.isActive(),
                List.copyOf(key.getScopes()), key.getCreatedAt(), key.getExpiresAt(), key.getLastUsedAt());
    }
}
