package io.github.apikey.spring.jpa.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import java.time.Instant;

import org.springframework.data.domain.Persistable;

/**
 * Row of the key table, with keyshield's column set so that either library reads what the other wrote. Alone in
 * its package so that registering this package for entity scanning adds nothing else.
 *
 * <p>Scopes are a JSON array of strings in a text column. The table name is {@value #LOGICAL_TABLE_NAME} unless
 * {@code api-key.jdbc.table-name} says otherwise.
 *
 * <p>The hash and display characters are not updatable through the entity: only a rotation changes them, with a
 * targeted {@code UPDATE} that moves the current hash to {@code previous_key_hash} in the same statement. Metadata,
 * allowed IPs, allowed origins and rate limits are JSON text, {@code NULL} when empty; every column of schema version
 * 2 is nullable.
 */
@Entity(name = "ApiKeyEntity")
@Table(name = ApiKeyEntity.LOGICAL_TABLE_NAME)
public class ApiKeyEntity implements Persistable<String> {

    /**
     * Width of the JSON text columns where Hibernate generates the table (embedded databases by default), as the
     * schema scripts make them: without it Hibernate would make them 255 characters wide.
     */
    static final int JSON_TEXT_LENGTH = 1_000_000;

    public static final String LOGICAL_TABLE_NAME = "api_keys";

    @Id
    @Column(name = "id", length = 36, nullable = false, updatable = false)
    private String id;

    @Column(name = "name", length = 128)
    private String name;

    @Column(name = "description", length = 1024)
    private String description;

    @Column(name = "is_active", nullable = false)
    private boolean active;

    @Column(name = "expires_at")
    private Instant expiresAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "last_used_at")
    private Instant lastUsedAt;

    @Column(name = "key_id", length = 16, nullable = false, unique = true, updatable = false)
    private String keyId;

    @Column(name = "key_hash", length = 128, nullable = false, unique = true, updatable = false)
    private String keyHash;

    @Column(name = "key_secret_first", length = 4, nullable = false, updatable = false)
    private String keySecretFirst;

    @Column(name = "key_secret_last", length = 4, nullable = false, updatable = false)
    private String keySecretLast;

    @Column(name = "scopes", length = 4096)
    private String scopes;

    // Columns added by schema version 2. All nullable, so that keyshield, which knows only the columns above,
    // still reads and writes rows; a row it wrote has none of them, which reads as a key without lifecycle data.

    @Column(name = "owner_id", length = 128)
    private String ownerId;

    /** JSON object text; {@code null} for none. */
    @Column(name = "metadata", length = JSON_TEXT_LENGTH)
    private String metadata;

    /** JSON array of canonical CIDR blocks; {@code null} for none. */
    @Column(name = "allowed_ips", length = JSON_TEXT_LENGTH)
    private String allowedIps;

    /** JSON array of origins; {@code null} for none. */
    @Column(name = "allowed_origins", length = JSON_TEXT_LENGTH)
    private String allowedOrigins;

    @Column(name = "remaining")
    private Long remaining;

    @Column(name = "refill_amount")
    private Long refillAmount;

    /** {@code DAILY} or {@code MONTHLY}, set together with {@link #refillAmount}. */
    @Column(name = "refill_interval", length = 16)
    private String refillInterval;

    @Column(name = "last_refill_at")
    private Instant lastRefillAt;

    @Column(name = "rotated_at")
    private Instant rotatedAt;

    @Column(name = "previous_key_hash", length = 128)
    private String previousKeyHash;

    @Column(name = "previous_secret_expires_at")
    private Instant previousSecretExpiresAt;

    /**
     * JSON array of {@code {"name":..,"limit":..,"duration":"PT1M"}}; {@code null} for none, which lets the configured
     * default limits apply. The length is for schemas Hibernate generates (as it does by default on an embedded
     * database), whose 255 characters would not hold the eight limits a key may have; the scripts' columns are wider.
     */
    @Column(name = "rate_limits", length = 4096)
    private String rateLimits;

    /** Ids are assigned, not generated, so a new row is told apart this way instead of by a select first. */
    @Transient
    private boolean isNew = true;

    protected ApiKeyEntity() {
    }

    public ApiKeyEntity(String id, String name, String description, boolean active, Instant expiresAt,
                        Instant createdAt, Instant lastUsedAt, String keyId, String keyHash, String keySecretFirst,
                        String keySecretLast, String scopes) {
        this.id = id;
        this.name = name;
        this.description = description;
        this.active = active;
        this.expiresAt = expiresAt;
        this.createdAt = createdAt;
        this.lastUsedAt = lastUsedAt;
        this.keyId = keyId;
        this.keyHash = keyHash;
        this.keySecretFirst = keySecretFirst;
        this.keySecretLast = keySecretLast;
        this.scopes = scopes;
    }

    /** Sets the columns of schema version 2 on a new row; returns this entity. */
    public ApiKeyEntity withLifecycle(String ownerId, String metadata, String allowedIps, String allowedOrigins,
                                      Long remaining, Long refillAmount, String refillInterval, Instant lastRefillAt,
                                      Instant rotatedAt, String previousKeyHash, Instant previousSecretExpiresAt) {
        this.ownerId = ownerId;
        this.metadata = metadata;
        this.allowedIps = allowedIps;
        this.allowedOrigins = allowedOrigins;
        this.remaining = remaining;
        this.refillAmount = refillAmount;
        this.refillInterval = refillInterval;
        this.lastRefillAt = lastRefillAt;
        this.rotatedAt = rotatedAt;
        this.previousKeyHash = previousKeyHash;
        this.previousSecretExpiresAt = previousSecretExpiresAt;
        return this;
    }

    /** Sets the key's own rate limits (JSON array text, or {@code null}) on a new row; returns this entity. */
    public ApiKeyEntity withRateLimits(String rateLimits) {
        this.rateLimits = rateLimits;
        return this;
    }

    @Override
    public String getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getDescription() {
        return description;
    }

    public boolean isActive() {
        return active;
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    public String getKeyId() {
        return keyId;
    }

    public String getKeyHash() {
        return keyHash;
    }

    public String getKeySecretFirst() {
        return keySecretFirst;
    }

    public String getKeySecretLast() {
        return keySecretLast;
    }

    /** JSON array text, for example {@code ["read","write"]}. */
    public String getScopes() {
        return scopes;
    }

    public String getOwnerId() {
        return ownerId;
    }

    /** JSON object text, or {@code null}. */
    public String getMetadata() {
        return metadata;
    }

    /** JSON array text, or {@code null}. */
    public String getAllowedIps() {
        return allowedIps;
    }

    /** JSON array text, or {@code null}. */
    public String getAllowedOrigins() {
        return allowedOrigins;
    }

    public Long getRemaining() {
        return remaining;
    }

    public Long getRefillAmount() {
        return refillAmount;
    }

    public String getRefillInterval() {
        return refillInterval;
    }

    public Instant getLastRefillAt() {
        return lastRefillAt;
    }

    public Instant getRotatedAt() {
        return rotatedAt;
    }

    public String getPreviousKeyHash() {
        return previousKeyHash;
    }

    public Instant getPreviousSecretExpiresAt() {
        return previousSecretExpiresAt;
    }

    /** JSON array text, or {@code null}. */
    public String getRateLimits() {
        return rateLimits;
    }

    @Override
    public boolean isNew() {
        return isNew;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        this.isNew = false;
    }

    @Override
    public String toString() {
        return "ApiKeyEntity[id=" + id + ", keyId=" + keyId + "]";
    }
}
