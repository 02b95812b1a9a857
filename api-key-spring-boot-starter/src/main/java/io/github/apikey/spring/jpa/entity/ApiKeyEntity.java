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
 */
@Entity(name = "ApiKeyEntity")
@Table(name = ApiKeyEntity.LOGICAL_TABLE_NAME)
public class ApiKeyEntity implements Persistable<String> {

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
