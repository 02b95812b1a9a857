package io.github.apikey.spring.security;

import io.github.apikey.core.domain.ApiKey;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

/**
 * A key's public view, without hash or secret characters: the authenticated key as controllers see it, and what the
 * management API shows. Declare a parameter of this type (or annotate it with {@code @AuthenticationPrincipal}) to
 * receive the current key. In JSON, absent values are written as {@code null}, whatever the application's Jackson
 * settings.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "keyId", "name", "description", "isActive", "scopes", "createdAt", "expiresAt",
        "lastUsedAt"})
public final class ApiKeyPrincipal implements Serializable {

    private static final long serialVersionUID = 1L;

    private final UUID id;
    private final String keyId;
    private final String name;
    private final String description;
    private final boolean active;
    private final List<String> scopes;
    private final Instant createdAt;
    private final Instant expiresAt;
    private final Instant lastUsedAt;

    private ApiKeyPrincipal(ApiKey key) {
        this.id = key.getId();
        this.keyId = key.getKeyId();
        this.name = key.getName();
        this.description = key.getDescription();
        this.active = key.isActive();
        this.scopes = List.copyOf(key.getScopes());
        this.createdAt = key.getCreatedAt();
        this.expiresAt = key.getExpiresAt();
        this.lastUsedAt = key.getLastUsedAt();
    }

    public static ApiKeyPrincipal of(ApiKey key) {
        return new ApiKeyPrincipal(Objects.requireNonNull(key, "key"));
    }

    public UUID getId() {
        return id;
    }

    public String getKeyId() {
        return keyId;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    @JsonProperty("isActive")
    public boolean isActive() {
        return active;
    }

    /** Granted scopes, in grant order. */
    public List<String> getScopes() {
        return scopes;
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof ApiKeyPrincipal that && id.equals(that.id));
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    @Override
    public String toString() {
        return "ApiKeyPrincipal[id=" + id + ", keyId=" + keyId + ", name=" + name + ", scopes=" + scopes + "]";
    }
}
