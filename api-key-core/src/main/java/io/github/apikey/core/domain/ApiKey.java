package io.github.apikey.core.domain;

import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;

import java.time.Instant;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A stored API key. It never holds the plaintext secret: only its hash and the first and last four characters,
 * so that administrators can tell keys apart.
 *
 * <p>Instances are mutable and not thread-safe; stores hand out copies.
 */
public final class ApiKey {

    private final UUID id;
    private final String keyId;
    private final String keyHash;
    private final String secretFirst;
    private final String secretLast;
    private final Instant createdAt;
    private String name;
    private String description;
    private boolean active;
    private Set<String> scopes;
    private Instant expiresAt;
    private Instant lastUsedAt;

    private ApiKey(Builder builder) {
        this.id = Objects.requireNonNull(builder.id, "id");
        this.keyId = Objects.requireNonNull(builder.keyId, "keyId");
        this.keyHash = Objects.requireNonNull(builder.keyHash, "keyHash");
        this.secretFirst = Objects.requireNonNull(builder.secretFirst, "secretFirst");
        this.secretLast = Objects.requireNonNull(builder.secretLast, "secretLast");
        this.createdAt = Objects.requireNonNull(builder.createdAt, "createdAt");
        this.name = Objects.requireNonNull(builder.name, "name");
        this.description = builder.description;
        this.active = builder.active;
        this.scopes = immutableScopes(builder.scopes);
        this.expiresAt = builder.expiresAt;
        this.lastUsedAt = builder.lastUsedAt;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this key, for stores that copy or rebuild entities. */
    public Builder toBuilder() {
        return new Builder().id(id).keyId(keyId).keyHash(keyHash).secretFirst(secretFirst).secretLast(secretLast)
                .createdAt(createdAt).name(name).description(description).active(active).scopes(scopes)
                .expiresAt(expiresAt).lastUsedAt(lastUsedAt);
    }

    /** An independent copy, so that callers cannot change what a store holds. */
    public ApiKey copy() {
        return toBuilder().build();
    }

    public void enable() {
        this.active = true;
    }

    public void disable() {
        this.active = false;
    }

    /** Records a use at {@code usedAt}; last-used time only moves forward. */
    public void recordUse(Instant usedAt) {
        Objects.requireNonNull(usedAt, "usedAt");
        if (lastUsedAt == null || usedAt.isAfter(lastUsedAt)) {
            this.lastUsedAt = usedAt;
        }
    }

    /** Whether the key has expired at {@code now}; a key expires at the instant of its expiry. */
    public boolean isExpiredAt(Instant now) {
        return expiresAt != null && !now.isBefore(expiresAt);
    }

    /**
     * Refuses a key that may not authenticate at {@code now}. Call only after the secret matched, so that a wrong
     * secret never learns the key's state.
     *
     * @throws KeyInactiveException if the key is disabled
     * @throws KeyExpiredException if the key has expired
     */
    public void ensureCanAuthenticate(Instant now) {
        if (!active) {
            throw new KeyInactiveException();
        }
        if (isExpiredAt(now)) {
            throw new KeyExpiredException();
        }
    }

    /**
     * Refuses a key that lacks any of the {@code required} scopes.
     *
     * @throws InsufficientScopesException naming every missing scope
     */
    public void ensureScopes(Collection<String> required) {
        if (required == null || required.isEmpty()) {
            return;
        }
        if (scopes.containsAll(required)) {
            return;
        }
        List<String> missing = new ArrayList<>();
        for (String scope : required) {
            if (!scopes.contains(scope) && !missing.contains(scope)) {
                missing.add(scope);
            }
        }
        throw new InsufficientScopesException(missing);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }

    public UUID getId() {
        return id;
    }

    public String getKeyId() {
        return keyId;
    }

    /** Hash of the secret, as the configured hasher wrote it. Never show it to clients. */
    public String getKeyHash() {
        return keyHash;
    }

    /** First four characters of the secret, for display. */
    public String getSecretFirst() {
        return secretFirst;
    }

    /** Last four characters of the secret, for display. */
    public String getSecretLast() {
        return secretLast;
    }

    public Instant getCreatedAt() {
        return createdAt;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public boolean isActive() {
        return active;
    }

    /** Scopes in the order they were granted; immutable. */
    public Set<String> getScopes() {
        return scopes;
    }

    public void setScopes(Collection<String> scopes) {
        this.scopes = immutableScopes(scopes);
    }

    public Instant getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(Instant expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Instant getLastUsedAt() {
        return lastUsedAt;
    }

    @Override
    public boolean equals(Object other) {
        return this == other || (other instanceof ApiKey that && id.equals(that.id));
    }

    @Override
    public int hashCode() {
        return id.hashCode();
    }

    /** Leaves out the hash and the secret's characters: this string ends up in logs. */
    @Override
    public String toString() {
        return "ApiKey[id=" + id + ", keyId=" + keyId + ", name=" + name + ", active=" + active + ", scopes="
                + scopes + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt + ", lastUsedAt=" + lastUsedAt
                + "]";
    }

    private static Set<String> immutableScopes(Collection<String> scopes) {
        if (scopes instanceof Scopes alreadyImmutable) {
            return alreadyImmutable;
        }
        if (scopes == null || scopes.isEmpty()) {
            return Scopes.NONE;
        }
        for (String scope : scopes) {
            Objects.requireNonNull(scope, "scope");
        }
        return new Scopes(new LinkedHashSet<>(scopes).toArray(String[]::new));
    }

    /**
     * Scopes in grant order, immutable, so that copies of a key (one per cache hit) share them instead of copying.
     * Keys hold a handful of scopes: a linear scan beats hashing.
     */
    private static final class Scopes extends AbstractSet<String> {

        static final Scopes NONE = new Scopes(new String[0]);

        private final String[] values;

        Scopes(String[] values) {
            this.values = values;
        }

        @Override
        public boolean contains(Object candidate) {
            for (String value : values) {
                if (value.equals(candidate)) {
                    return true;
                }
            }
            return false;
        }

        @Override
        public Iterator<String> iterator() {
            return Arrays.asList(values).iterator();
        }

        @Override
        public int size() {
            return values.length;
        }
    }

    public static final class Builder {

        private UUID id;
        private String keyId;
        private String keyHash;
        private String secretFirst;
        private String secretLast;
        private Instant createdAt;
        private String name;
        private String description;
        private boolean active = true;
        private Collection<String> scopes = Set.of();
        private Instant expiresAt;
        private Instant lastUsedAt;

        private Builder() {
        }

        public Builder id(UUID id) {
            this.id = id;
            return this;
        }

        public Builder keyId(String keyId) {
            this.keyId = keyId;
            return this;
        }

        public Builder keyHash(String keyHash) {
            this.keyHash = keyHash;
            return this;
        }

        public Builder secretFirst(String secretFirst) {
            this.secretFirst = secretFirst;
            return this;
        }

        public Builder secretLast(String secretLast) {
            this.secretLast = secretLast;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder name(String name) {
            this.name = name;
            return this;
        }

        public Builder description(String description) {
            this.description = description;
            return this;
        }

        public Builder active(boolean active) {
            this.active = active;
            return this;
        }

        public Builder scopes(Collection<String> scopes) {
            this.scopes = scopes;
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder lastUsedAt(Instant lastUsedAt) {
            this.lastUsedAt = lastUsedAt;
            return this;
        }

        public ApiKey build() {
            return new ApiKey(this);
        }

        @Override
        public String toString() {
            return "ApiKey.Builder[id=" + id + ", keyId=" + keyId + ", name=" + name + "]";
        }
    }
}
