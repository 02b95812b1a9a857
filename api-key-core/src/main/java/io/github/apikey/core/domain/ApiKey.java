package io.github.apikey.core.domain;

import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.KeyRestrictedException;

import java.net.InetAddress;
import java.time.Instant;
import java.util.AbstractSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A stored API key. It never holds the plaintext secret: only its hash and the first and last four characters,
 * so that administrators can tell keys apart.
 *
 * <p>After a rotation the key also holds the hash of its previous secret, which authenticates until
 * {@link #getPreviousSecretExpiresAt()}; the key id, and so the key's identity in logs, stays the same.
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
    private String ownerId;
    private Map<String, Object> metadata;
    private List<IpRange> allowedIps;
    private List<String> allowedOrigins;
    private Long remaining;
    private CreditRefill refill;
    private Instant lastRefillAt;
    private List<RateLimit> rateLimits;
    private final Instant rotatedAt;
    private final String previousKeyHash;
    private final Instant previousSecretExpiresAt;

    @SuppressWarnings("unchecked")
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
        this.ownerId = builder.ownerId;
        this.metadata = builder.metadataImmutable ? (Map<String, Object>) builder.metadata
                : KeyMetadata.copyOf(builder.metadata);
        this.allowedIps = builder.allowedIps;
        this.allowedOrigins = builder.allowedOrigins;
        this.remaining = builder.remaining;
        this.refill = builder.refill;
        this.lastRefillAt = builder.lastRefillAt;
        this.rateLimits = immutableLimits(builder.rateLimits);
        this.rotatedAt = builder.rotatedAt;
        this.previousKeyHash = builder.previousKeyHash;
        this.previousSecretExpiresAt = builder.previousKeyHash == null ? null : builder.previousSecretExpiresAt;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this key, for stores that copy or rebuild entities. */
    public Builder toBuilder() {
        return new Builder().id(id).keyId(keyId).keyHash(keyHash).secretFirst(secretFirst).secretLast(secretLast)
                .createdAt(createdAt).name(name).description(description).active(active).scopes(scopes)
                .expiresAt(expiresAt).lastUsedAt(lastUsedAt).ownerId(ownerId).immutableMetadata(metadata)
                .allowedIpRanges(allowedIps).normalizedOrigins(allowedOrigins).remaining(remaining).refill(refill)
                .lastRefillAt(lastRefillAt).rateLimits(rateLimits).rotatedAt(rotatedAt).previousKeyHash(previousKeyHash)
                .previousSecretExpiresAt(previousSecretExpiresAt);
    }

    /** An independent copy, so that callers cannot change what a store holds. */
    public ApiKey copy() {
        return new ApiKey(this);
    }

    /** Field by field: a cache hit copies its key, and every collection field is immutable and can be shared. */
    private ApiKey(ApiKey other) {
        this.id = other.id;
        this.keyId = other.keyId;
        this.keyHash = other.keyHash;
        this.secretFirst = other.secretFirst;
        this.secretLast = other.secretLast;
        this.createdAt = other.createdAt;
        this.name = other.name;
        this.description = other.description;
        this.active = other.active;
        this.scopes = other.scopes;
        this.expiresAt = other.expiresAt;
        this.lastUsedAt = other.lastUsedAt;
        this.ownerId = other.ownerId;
        this.metadata = other.metadata;
        this.allowedIps = other.allowedIps;
        this.allowedOrigins = other.allowedOrigins;
        this.remaining = other.remaining;
        this.refill = other.refill;
        this.lastRefillAt = other.lastRefillAt;
        this.rateLimits = other.rateLimits;
        this.rotatedAt = other.rotatedAt;
        this.previousKeyHash = other.previousKeyHash;
        this.previousSecretExpiresAt = other.previousSecretExpiresAt;
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

    /**
     * Refuses a request from a client address outside the key's allowed IP ranges, or from a web origin not among
     * its allowed origins. A key without a restriction accepts every request; a key with one refuses a request
     * whose address or origin is unknown. Call only after the secret matched.
     *
     * @param clientAddress the client's IP address literal, or {@code null} if unknown; parsed only when the key
     *                      has allowed IP ranges, never looked up in DNS
     * @param origin        the request's {@code Origin} header, or {@code null} if it has none
     * @throws KeyRestrictedException naming the restriction that refused the request
     */
    public void ensureAllowedFrom(String clientAddress, String origin) {
        if (!allowedIps.isEmpty() && !isAllowedAddress(IpRange.parseAddress(clientAddress))) {
            throw KeyRestrictedException.address();
        }
        if (!allowedOrigins.isEmpty()) {
            String serialized = Origins.normalize(origin);
            // Immutable lists throw on contains(null): an absent or malformed origin is refused here.
            if (serialized == null || !allowedOrigins.contains(serialized)) {
                throw KeyRestrictedException.origin();
            }
        }
    }

    private boolean isAllowedAddress(InetAddress clientAddress) {
        for (IpRange range : allowedIps) {
            if (range.contains(clientAddress)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the previous secret, kept after a rotation, still authenticates at {@code now}. */
    public boolean isPreviousSecretValidAt(Instant now) {
        return previousKeyHash != null && previousSecretExpiresAt != null && now.isBefore(previousSecretExpiresAt);
    }

    /** Whether each use consumes one of a limited number of credits. */
    public boolean hasUsageCredits() {
        return remaining != null;
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

    /** Who the key belongs to in the application (a user or tenant id), or {@code null}. */
    public String getOwnerId() {
        return ownerId;
    }

    public void setOwnerId(String ownerId) {
        this.ownerId = ownerId;
    }

    /** The application's own data about the key: an immutable JSON object, empty if none. */
    public Map<String, Object> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, ?> metadata) {
        this.metadata = KeyMetadata.copyOf(metadata);
    }

    /** CIDR blocks the key may be used from, in canonical form; empty if it may be used from anywhere. */
    public List<String> getAllowedIps() {
        return allowedIps.stream().map(IpRange::toString).toList();
    }

    /** @throws IllegalArgumentException if an entry is not an IP address or CIDR block */
    public void setAllowedIps(Collection<String> allowedIps) {
        this.allowedIps = parseRanges(allowedIps);
    }

    /** Web origins the key may be used from, serialized; empty if any origin (or none) may use it. */
    public List<String> getAllowedOrigins() {
        return allowedOrigins;
    }

    /** @throws IllegalArgumentException if an entry is not an http or https origin */
    public void setAllowedOrigins(Collection<String> allowedOrigins) {
        this.allowedOrigins = normalizeOrigins(allowedOrigins);
    }

    /** Uses left, or {@code null} if the key's use is not counted. */
    public Long getRemaining() {
        return remaining;
    }

    public void setRemaining(Long remaining) {
        this.remaining = remaining;
    }

    /** How the key's credits are restored, or {@code null} if they are not. */
    public CreditRefill getRefill() {
        return refill;
    }

    public void setRefill(CreditRefill refill) {
        this.refill = refill;
    }

    /** When the credits were last restored (or first set), or {@code null}. */
    public Instant getLastRefillAt() {
        return lastRefillAt;
    }

    public void setLastRefillAt(Instant lastRefillAt) {
        this.lastRefillAt = lastRefillAt;
    }

    /** The key's own rate limits; empty if the configured defaults (for its scopes, or for all keys) apply. */
    public List<RateLimit> getRateLimits() {
        return rateLimits;
    }

    public void setRateLimits(Collection<RateLimit> rateLimits) {
        this.rateLimits = immutableLimits(rateLimits);
    }

    /** When the secret was last replaced, or {@code null} if it never was. */
    public Instant getRotatedAt() {
        return rotatedAt;
    }

    /** Hash of the secret before the last rotation, while it may still authenticate. Never show it to clients. */
    public String getPreviousKeyHash() {
        return previousKeyHash;
    }

    /** When the secret before the last rotation stops authenticating, or {@code null} if there is none. */
    public Instant getPreviousSecretExpiresAt() {
        return previousSecretExpiresAt;
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
                + scopes + ", ownerId=" + ownerId + ", createdAt=" + createdAt + ", expiresAt=" + expiresAt
                + ", lastUsedAt=" + lastUsedAt + ", rotatedAt=" + rotatedAt + ", remaining=" + remaining + "]";
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

    private static List<RateLimit> immutableLimits(Collection<RateLimit> limits) {
        return limits == null || limits.isEmpty() ? List.of() : List.copyOf(limits);
    }

    private static List<IpRange> parseRanges(Collection<String> cidrs) {
        if (cidrs == null || cidrs.isEmpty()) {
            return List.of();
        }
        List<IpRange> ranges = new ArrayList<>(cidrs.size());
        for (String cidr : cidrs) {
            IpRange range = IpRange.parse(cidr);
            if (!ranges.contains(range)) {
                ranges.add(range);
            }
        }
        return List.copyOf(ranges);
    }

    private static List<String> normalizeOrigins(Collection<String> origins) {
        if (origins == null || origins.isEmpty()) {
            return List.of();
        }
        List<String> normalized = new ArrayList<>(origins.size());
        for (String origin : origins) {
            String serialized = Origins.normalize(origin);
            if (serialized == null) {
                throw new IllegalArgumentException("not an http or https origin: '" + origin + "'");
            }
            if (!normalized.contains(serialized)) {
                normalized.add(serialized);
            }
        }
        return List.copyOf(normalized);
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
        private String ownerId;
        private Map<String, ?> metadata = Map.of();
        private boolean metadataImmutable;
        private List<IpRange> allowedIps = List.of();
        private List<String> allowedOrigins = List.of();
        private Long remaining;
        private CreditRefill refill;
        private Instant lastRefillAt;
        private Collection<RateLimit> rateLimits = List.of();
        private Instant rotatedAt;
        private String previousKeyHash;
        private Instant previousSecretExpiresAt;

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

        public Builder ownerId(String ownerId) {
            this.ownerId = ownerId;
            return this;
        }

        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = metadata;
            this.metadataImmutable = false;
            return this;
        }

        /** @throws IllegalArgumentException if an entry is not an IP address or CIDR block */
        public Builder allowedIps(Collection<String> allowedIps) {
            this.allowedIps = parseRanges(allowedIps);
            return this;
        }

        private Builder allowedIpRanges(List<IpRange> ranges) {
            this.allowedIps = ranges;
            return this;
        }

        /** @throws IllegalArgumentException if an entry is not an http or https origin */
        public Builder allowedOrigins(Collection<String> allowedOrigins) {
            this.allowedOrigins = normalizeOrigins(allowedOrigins);
            return this;
        }

        private Builder normalizedOrigins(List<String> origins) {
            this.allowedOrigins = origins;
            return this;
        }

        private Builder immutableMetadata(Map<String, Object> metadata) {
            this.metadata = metadata;
            this.metadataImmutable = true;
            return this;
        }

        public Builder remaining(Long remaining) {
            this.remaining = remaining;
            return this;
        }

        public Builder refill(CreditRefill refill) {
            this.refill = refill;
            return this;
        }

        public Builder lastRefillAt(Instant lastRefillAt) {
            this.lastRefillAt = lastRefillAt;
            return this;
        }

        public Builder rateLimits(Collection<RateLimit> rateLimits) {
            this.rateLimits = rateLimits;
            return this;
        }

        public Builder rotatedAt(Instant rotatedAt) {
            this.rotatedAt = rotatedAt;
            return this;
        }

        public Builder previousKeyHash(String previousKeyHash) {
            this.previousKeyHash = previousKeyHash;
            return this;
        }

        public Builder previousSecretExpiresAt(Instant previousSecretExpiresAt) {
            this.previousSecretExpiresAt = previousSecretExpiresAt;
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
