package io.github.apikey.core.store;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.KeyMetadata;
import io.github.apikey.core.error.ApiKeyValidationException;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Criteria for finding and counting keys. Every criterion left unset matches every key; set criteria must all
 * hold. Time bounds are exclusive ({@code expiresBefore(t)} means {@code expiresAt < t}), and a key without the
 * time in question (no expiry, never used) matches neither bound. Metadata criteria compare a top-level value's
 * text ({@link KeyMetadata#scalarText}) for equality; lists, objects and JSON {@code null} match no criterion. Order
 * and page apply to {@code find} only.
 *
 * <p>Immutable; build with {@link #builder()}.
 */
public final class ApiKeyFilter {

    public static final int DEFAULT_LIMIT = 100;

    private final Boolean active;
    private final Instant expiresBefore;
    private final Instant expiresAfter;
    private final Instant createdBefore;
    private final Instant createdAfter;
    private final Instant lastUsedBefore;
    private final Instant lastUsedAfter;
    private final Boolean neverUsed;
    private final Set<String> scopesContainAll;
    private final Set<String> scopesContainAny;
    private final String nameContains;
    private final String nameExact;
    private final String ownerId;
    private final Map<String, String> metadataEquals;
    private final ApiKeySortField orderBy;
    private final boolean orderDescending;
    private final int offset;
    private final int limit;

    private ApiKeyFilter(Builder builder) {
        this.active = builder.active;
        this.expiresBefore = builder.expiresBefore;
        this.expiresAfter = builder.expiresAfter;
        this.createdBefore = builder.createdBefore;
        this.createdAfter = builder.createdAfter;
        this.lastUsedBefore = builder.lastUsedBefore;
        this.lastUsedAfter = builder.lastUsedAfter;
        this.neverUsed = builder.neverUsed;
        this.scopesContainAll = Set.copyOf(builder.scopesContainAll);
        this.scopesContainAny = Set.copyOf(builder.scopesContainAny);
        this.nameContains = builder.nameContains;
        this.nameExact = builder.nameExact;
        this.ownerId = builder.ownerId;
        this.metadataEquals = Collections.unmodifiableMap(new LinkedHashMap<>(builder.metadataEquals));
        this.orderBy = builder.orderBy;
        this.orderDescending = builder.orderDescending;
        this.offset = builder.offset;
        this.limit = builder.limit;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every key, newest first, first page of {@value #DEFAULT_LIMIT}. */
    public static ApiKeyFilter all() {
        return builder().build();
    }

    /**
     * Checks page bounds as every listing takes them.
     *
     * @throws ApiKeyValidationException if {@code offset} is negative or {@code limit} is below 1
     */
    public static void requireValidPage(int offset, int limit) {
        requireValidPage(offset, limit, Integer.MAX_VALUE);
    }

    /**
     * Checks page bounds with a largest page, as an API that serves pages to clients sets one.
     *
     * @throws ApiKeyValidationException if {@code offset} is negative or {@code limit} is not from 1 to
     *                                   {@code maxLimit}
     */
    public static void requireValidPage(int offset, int limit, int maxLimit) {
        if (offset < 0) {
            throw new ApiKeyValidationException("offset", "offset must be at least 0, was " + offset);
        }
        if (limit < 1 || limit > maxLimit) {
            throw new ApiKeyValidationException("limit", (maxLimit == Integer.MAX_VALUE ? "limit must be at least 1"
                    : "limit must be between 1 and " + maxLimit) + ", was " + limit);
        }
    }

    /** Whether {@code key} meets every criterion; the reference semantics every store must implement. */
    public boolean matches(ApiKey key) {
        return (active == null || key.isActive() == active)
                && before(key.getExpiresAt(), expiresBefore) && after(key.getExpiresAt(), expiresAfter)
                && before(key.getCreatedAt(), createdBefore) && after(key.getCreatedAt(), createdAfter)
                && before(key.getLastUsedAt(), lastUsedBefore) && after(key.getLastUsedAt(), lastUsedAfter)
                && (neverUsed == null || (key.getLastUsedAt() == null) == neverUsed)
                && key.getScopes().containsAll(scopesContainAll)
                && (scopesContainAny.isEmpty() || scopesContainAny.stream().anyMatch(key.getScopes()::contains))
                && (nameContains == null || lower(key.getName()).contains(lower(nameContains)))
                && (nameExact == null || key.getName().equals(nameExact))
                && (ownerId == null || ownerId.equals(key.getOwnerId()))
                && metadataMatches(key.getMetadata());
    }

    private boolean metadataMatches(Map<String, Object> metadata) {
        for (Map.Entry<String, String> criterion : metadataEquals.entrySet()) {
            if (!criterion.getValue().equals(KeyMetadata.scalarText(metadata.get(criterion.getKey())))) {
                return false;
            }
        }
        return true;
    }

    /** The order {@code find} returns keys in. */
    public Comparator<ApiKey> comparator() {
        return orderBy.comparator(orderDescending);
    }

    private static boolean before(Instant value, Instant bound) {
        return bound == null || (value != null && value.isBefore(bound));
    }

    private static boolean after(Instant value, Instant bound) {
        return bound == null || (value != null && value.isAfter(bound));
    }

    private static String lower(String text) {
        return text.toLowerCase(Locale.ROOT);
    }

    public Boolean getActive() {
        return active;
    }

    public Instant getExpiresBefore() {
        return expiresBefore;
    }

    public Instant getExpiresAfter() {
        return expiresAfter;
    }

    public Instant getCreatedBefore() {
        return createdBefore;
    }

    public Instant getCreatedAfter() {
        return createdAfter;
    }

    public Instant getLastUsedBefore() {
        return lastUsedBefore;
    }

    public Instant getLastUsedAfter() {
        return lastUsedAfter;
    }

    public Boolean getNeverUsed() {
        return neverUsed;
    }

    public Set<String> getScopesContainAll() {
        return scopesContainAll;
    }

    public Set<String> getScopesContainAny() {
        return scopesContainAny;
    }

    public String getNameContains() {
        return nameContains;
    }

    public String getNameExact() {
        return nameExact;
    }

    /** Keys of exactly this owner, or {@code null} for any owner. */
    public String getOwnerId() {
        return ownerId;
    }

    /** Top-level metadata names and the text their values must equal; empty for no criterion. */
    public Map<String, String> getMetadataEquals() {
        return metadataEquals;
    }

    public ApiKeySortField getOrderBy() {
        return orderBy;
    }

    public boolean isOrderDescending() {
        return orderDescending;
    }

    public int getOffset() {
        return offset;
    }

    public int getLimit() {
        return limit;
    }

    @Override
    public String toString() {
        return "ApiKeyFilter[active=" + active + ", expiresBefore=" + expiresBefore + ", expiresAfter="
                + expiresAfter + ", createdBefore=" + createdBefore + ", createdAfter=" + createdAfter
                + ", lastUsedBefore=" + lastUsedBefore + ", lastUsedAfter=" + lastUsedAfter + ", neverUsed="
                + neverUsed + ", scopesContainAll=" + scopesContainAll + ", scopesContainAny=" + scopesContainAny
                + ", nameContains=" + nameContains + ", nameExact=" + nameExact + ", ownerId=" + ownerId
                + ", metadataEquals=" + metadataEquals + ", orderBy=" + orderBy
                + (orderDescending ? " desc" : " asc") + ", offset=" + offset + ", limit=" + limit + "]";
    }

    public static final class Builder {

        private Boolean active;
        private Instant expiresBefore;
        private Instant expiresAfter;
        private Instant createdBefore;
        private Instant createdAfter;
        private Instant lastUsedBefore;
        private Instant lastUsedAfter;
        private Boolean neverUsed;
        private Set<String> scopesContainAll = Set.of();
        private Set<String> scopesContainAny = Set.of();
        private String nameContains;
        private String nameExact;
        private String ownerId;
        private Map<String, String> metadataEquals = Map.of();
        private ApiKeySortField orderBy = ApiKeySortField.CREATED_AT;
        private boolean orderDescending = true;
        private int offset;
        private int limit = DEFAULT_LIMIT;

        private Builder() {
        }

        public Builder active(Boolean active) {
            this.active = active;
            return this;
        }

        public Builder expiresBefore(Instant expiresBefore) {
            this.expiresBefore = expiresBefore;
            return this;
        }

        public Builder expiresAfter(Instant expiresAfter) {
            this.expiresAfter = expiresAfter;
            return this;
        }

        public Builder createdBefore(Instant createdBefore) {
            this.createdBefore = createdBefore;
            return this;
        }

        public Builder createdAfter(Instant createdAfter) {
            this.createdAfter = createdAfter;
            return this;
        }

        public Builder lastUsedBefore(Instant lastUsedBefore) {
            this.lastUsedBefore = lastUsedBefore;
            return this;
        }

        public Builder lastUsedAfter(Instant lastUsedAfter) {
            this.lastUsedAfter = lastUsedAfter;
            return this;
        }

        /** {@code true}: only keys never used; {@code false}: only keys used at least once. */
        public Builder neverUsed(Boolean neverUsed) {
            this.neverUsed = neverUsed;
            return this;
        }

        public Builder scopesContainAll(Collection<String> scopes) {
            this.scopesContainAll = scopes == null ? Set.of() : new LinkedHashSet<>(scopes);
            return this;
        }

        /** Keys holding at least one of {@code scopes}; an empty collection leaves the criterion unset. */
        public Builder scopesContainAny(Collection<String> scopes) {
            this.scopesContainAny = scopes == null ? Set.of() : new LinkedHashSet<>(scopes);
            return this;
        }

        /** Keys whose name contains {@code fragment}, ignoring case. */
        public Builder nameContains(String fragment) {
            this.nameContains = fragment;
            return this;
        }

        public Builder nameExact(String name) {
            this.nameExact = name;
            return this;
        }

        public Builder ownerId(String ownerId) {
            this.ownerId = ownerId;
            return this;
        }

        /** Keys whose top-level metadata values have exactly these texts; {@code null} or empty leaves it unset. */
        public Builder metadataEquals(Map<String, String> criteria) {
            Map<String, String> copy = new LinkedHashMap<>();
            if (criteria != null) {
                criteria.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "metadata name"),
                        Objects.requireNonNull(value, "metadata value")));
            }
            this.metadataEquals = copy;
            return this;
        }

        public Builder orderBy(ApiKeySortField field, boolean descending) {
            this.orderBy = Objects.requireNonNull(field, "orderBy");
            this.orderDescending = descending;
            return this;
        }

        /** Skips the first {@code offset} keys (at least 0) and returns at most {@code limit} (at least 1). */
        public Builder page(int offset, int limit) {
            requireValidPage(offset, limit);
            this.offset = offset;
            this.limit = limit;
            return this;
        }

        public ApiKeyFilter build() {
            return new ApiKeyFilter(this);
        }
    }
}
