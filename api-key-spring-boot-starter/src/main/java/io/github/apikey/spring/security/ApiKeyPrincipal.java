package io.github.apikey.spring.security;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.CreditRefill;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * A key's public view, without hash or secret characters (neither the current secret's nor, after a rotation, the
 * previous one's): the authenticated key as controllers see it, and what the management API shows. Declare a
 * parameter of this type (or annotate it with {@code @AuthenticationPrincipal}) to receive the current key; its
 * {@link #getOwnerId()} and {@link #getMetadata()} let a controller scope what it serves to the key's owner. In JSON,
 * absent values are written as {@code null}, whatever the application's Jackson settings.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
@JsonPropertyOrder({"id", "keyId", "name", "description", "isActive", "scopes", "createdAt", "expiresAt",
        "lastUsedAt", "ownerId", "metadata", "allowedIps", "allowedOrigins", "remaining", "refill", "rateLimits",
        "rotatedAt", "previousSecretExpiresAt"})
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
    private final String ownerId;
    // Immutable copies of JSON values (strings, numbers, booleans, lists, maps): serializable with the principal.
    private final Map<String, Object> metadata;
    private final List<String> allowedIps;
    private final List<String> allowedOrigins;
    private final Long remaining;
    private final Refill refill;
    private final List<RateLimit> rateLimits;
    private final Instant rotatedAt;
    private final Instant previousSecretExpiresAt;

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
        this.ownerId = key.getOwnerId();
        this.metadata = key.getMetadata();
        this.allowedIps = List.copyOf(key.getAllowedIps());
        this.allowedOrigins = List.copyOf(key.getAllowedOrigins());
        this.remaining = key.getRemaining();
        this.refill = key.getRefill() == null ? null : new Refill(key.getRefill().amount(),
                key.getRefill().interval());
        this.rateLimits = key.getRateLimits().stream()
                .map(limit -> new RateLimit(limit.name(), limit.limit(), limit.duration())).toList();
        this.rotatedAt = key.getRotatedAt();
        this.previousSecretExpiresAt = key.getPreviousSecretExpiresAt();
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

    /** Who the key belongs to in the application (a user or tenant id), or {@code null}. */
    public String getOwnerId() {
        return ownerId;
    }

    /** The application's own data about the key: an immutable JSON object, empty if none. */
    public Map<String, Object> getMetadata() {
        return metadata;
    }

    /** CIDR blocks the key may be used from; empty if it may be used from anywhere. */
    public List<String> getAllowedIps() {
        return allowedIps;
    }

    /** Web origins the key may be used from; empty if any origin (or none) may use it. */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /**
     * Uses left, or {@code null} if the key's use is not counted. On the authenticated key: what is left after this
     * request.
     */
    public Long getRemaining() {
        return remaining;
    }

    /** How the key's credits are restored, or {@code null} if they are not. */
    public Refill getRefill() {
        return refill;
    }

    /**
     * The key's own rate limits, in the order they were set; empty if the configured defaults apply to it (those of
     * its scopes, else {@code api-key.rate-limit.default}, else none).
     */
    public List<RateLimit> getRateLimits() {
        return rateLimits;
    }

    /** When the key's secret was last replaced, or {@code null} if it never was. */
    public Instant getRotatedAt() {
        return rotatedAt;
    }

    /**
     * When the secret before the last rotation stops (or stopped) authenticating, or {@code null} if no rotation kept
     * the previous secret.
     */
    public Instant getPreviousSecretExpiresAt() {
        return previousSecretExpiresAt;
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
        return "ApiKeyPrincipal[id=" + id + ", keyId=" + keyId + ", name=" + name + ", scopes=" + scopes
                + ", ownerId=" + ownerId + "]";
    }

    /**
     * A key's credits are restored to {@code amount} at the start of every UTC day or month.
     *
     * @param amount   the credits the key holds at the start of each period
     * @param interval {@code DAILY} or {@code MONTHLY}
     */
    public record Refill(long amount, CreditRefill.Interval interval) implements Serializable {
    }

    /**
     * At most {@code limit} requests in each window of {@code duration}.
     *
     * @param name     names the limit, such as {@code requests} or {@code daily}
     * @param limit    requests per window
     * @param duration the window, in JSON an ISO-8601 duration such as {@code PT1M}: pinned here, since an application
     *                 whose mapper writes durations as numbers would otherwise show seconds where the management API
     *                 takes (and documents) ISO-8601 text
     */
    public record RateLimit(String name, long limit, @JsonFormat(shape = JsonFormat.Shape.STRING) Duration duration)
            implements Serializable {
    }
}
