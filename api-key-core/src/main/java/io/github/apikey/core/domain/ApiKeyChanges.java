package io.github.apikey.core.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A partial update of a key: only the fields that were set change. Build with {@link #builder()}.
 *
 * <p>Stores write exactly these fields and leave every other one as it is stored, so that two changes to one key
 * made at the same moment (on one instance or on several) never undo each other.
 */
public final class ApiKeyChanges {

    private final Optional<String> name;
    private final Optional<Optional<String>> description;
    private final Optional<Boolean> active;
    private final Optional<List<String>> scopes;
    private final Optional<Optional<Instant>> expiresAt;
    private final Optional<Optional<String>> ownerId;
    private final Optional<Map<String, Object>> metadata;
    private final Optional<List<String>> allowedIps;
    private final Optional<List<String>> allowedOrigins;
    private final Optional<Optional<Long>> remaining;
    private final Optional<Optional<CreditRefill>> refill;
    private final Optional<Optional<Instant>> lastRefillAt;
    private final Optional<List<RateLimit>> rateLimits;

    private ApiKeyChanges(Builder builder) {
        this.name = builder.name;
        this.description = builder.description;
        this.active = builder.active;
        this.scopes = builder.scopes;
        this.expiresAt = builder.expiresAt;
        this.ownerId = builder.ownerId;
        this.metadata = builder.metadata;
        this.allowedIps = builder.allowedIps;
        this.allowedOrigins = builder.allowedOrigins;
        this.remaining = builder.remaining;
        this.refill = builder.refill;
        this.lastRefillAt = builder.lastRefillAt;
        this.rateLimits = builder.rateLimits;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these changes, to add or override some. */
    public Builder toBuilder() {
        Builder builder = new Builder();
        builder.name = name;
        builder.description = description;
        builder.active = active;
        builder.scopes = scopes;
        builder.expiresAt = expiresAt;
        builder.ownerId = ownerId;
        builder.metadata = metadata;
        builder.allowedIps = allowedIps;
        builder.allowedOrigins = allowedOrigins;
        builder.remaining = remaining;
        builder.refill = refill;
        builder.lastRefillAt = lastRefillAt;
        builder.rateLimits = rateLimits;
        return builder;
    }

    public Optional<String> name() {
        return name;
    }

    /** Present when the description changes; the inner value is empty when it is cleared. */
    public Optional<Optional<String>> description() {
        return description;
    }

    public Optional<Boolean> active() {
        return active;
    }

    public Optional<List<String>> scopes() {
        return scopes;
    }

    /** Present when the expiry changes; the inner value is empty when it is cleared. */
    public Optional<Optional<Instant>> expiresAt() {
        return expiresAt;
    }

    /** Present when the owner changes; the inner value is empty when it is cleared. */
    public Optional<Optional<String>> ownerId() {
        return ownerId;
    }

    /** Present when the metadata is replaced; an empty map clears it. */
    public Optional<Map<String, Object>> metadata() {
        return metadata;
    }

    /** Present when the allowed IP ranges are replaced; an empty list lifts the restriction. */
    public Optional<List<String>> allowedIps() {
        return allowedIps;
    }

    /** Present when the allowed origins are replaced; an empty list lifts the restriction. */
    public Optional<List<String>> allowedOrigins() {
        return allowedOrigins;
    }

    /** Present when the credits left are set; the inner value is empty when use is no longer counted. */
    public Optional<Optional<Long>> remaining() {
        return remaining;
    }

    /** Present when the refill changes; the inner value is empty when credits are no longer refilled. */
    public Optional<Optional<CreditRefill>> refill() {
        return refill;
    }

    /** Present when the time of the last refill is set, as it is whenever credits or their refill change. */
    public Optional<Optional<Instant>> lastRefillAt() {
        return lastRefillAt;
    }

    /** Present when the key's own rate limits are replaced; an empty list lets the configured defaults apply. */
    public Optional<List<RateLimit>> rateLimits() {
        return rateLimits;
    }

    /** Whether nothing would change. */
    public boolean isEmpty() {
        return name.isEmpty() && description.isEmpty() && active.isEmpty() && scopes.isEmpty()
                && expiresAt.isEmpty() && ownerId.isEmpty() && metadata.isEmpty() && allowedIps.isEmpty()
                && allowedOrigins.isEmpty() && remaining.isEmpty() && refill.isEmpty() && lastRefillAt.isEmpty()
                && rateLimits.isEmpty();
    }

    /** {@code key} with these changes applied: a copy, {@code key} itself stays as it is. */
    public ApiKey applyTo(ApiKey key) {
        ApiKey changed = key.copy();
        name.ifPresent(changed::setName);
        description.ifPresent(value -> changed.setDescription(value.orElse(null)));
        active.ifPresent(value -> {
            if (value) {
                changed.enable();
            } else {
                changed.disable();
            }
        });
        scopes.ifPresent(changed::setScopes);
        expiresAt.ifPresent(value -> changed.setExpiresAt(value.orElse(null)));
        ownerId.ifPresent(value -> changed.setOwnerId(value.orElse(null)));
        metadata.ifPresent(changed::setMetadata);
        allowedIps.ifPresent(changed::setAllowedIps);
        allowedOrigins.ifPresent(changed::setAllowedOrigins);
        remaining.ifPresent(value -> changed.setRemaining(value.orElse(null)));
        refill.ifPresent(value -> changed.setRefill(value.orElse(null)));
        lastRefillAt.ifPresent(value -> changed.setLastRefillAt(value.orElse(null)));
        rateLimits.ifPresent(changed::setRateLimits);
        return changed;
    }

    @Override
    public String toString() {
        return "ApiKeyChanges[name=" + name + ", description=" + description + ", active=" + active + ", scopes="
                + scopes + ", expiresAt=" + expiresAt + ", ownerId=" + ownerId + ", metadata=" + metadata.map(Map::keySet)
                + ", allowedIps=" + allowedIps + ", allowedOrigins=" + allowedOrigins + ", remaining=" + remaining
                + ", refill=" + refill + ", rateLimits=" + rateLimits + "]";
    }

    public static final class Builder {

        private Optional<String> name = Optional.empty();
        private Optional<Optional<String>> description = Optional.empty();
        private Optional<Boolean> active = Optional.empty();
        private Optional<List<String>> scopes = Optional.empty();
        private Optional<Optional<Instant>> expiresAt = Optional.empty();
        private Optional<Optional<String>> ownerId = Optional.empty();
        private Optional<Map<String, Object>> metadata = Optional.empty();
        private Optional<List<String>> allowedIps = Optional.empty();
        private Optional<List<String>> allowedOrigins = Optional.empty();
        private Optional<Optional<Long>> remaining = Optional.empty();
        private Optional<Optional<CreditRefill>> refill = Optional.empty();
        private Optional<Optional<Instant>> lastRefillAt = Optional.empty();
        private Optional<List<RateLimit>> rateLimits = Optional.empty();

        private Builder() {
        }

        public Builder name(String name) {
            this.name = Optional.of(name == null ? "" : name);
            return this;
        }

        /** Sets the description; {@code null} clears it. */
        public Builder description(String description) {
            this.description = Optional.of(Optional.ofNullable(description));
            return this;
        }

        public Builder active(boolean active) {
            this.active = Optional.of(active);
            return this;
        }

        /** Replaces the scopes; {@code null} or empty removes them all. */
        public Builder scopes(Collection<String> scopes) {
            this.scopes = Optional.of(scopes == null ? List.of()
                    : Collections.unmodifiableList(new ArrayList<>(scopes)));
            return this;
        }

        /** Sets a new expiry, which must lie in the future; {@code null} removes it. */
        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = Optional.of(Optional.ofNullable(expiresAt));
            return this;
        }

        /** Removes the expiry: the key no longer expires. */
        public Builder clearExpiry() {
            this.expiresAt = Optional.of(Optional.empty());
            return this;
        }

        /** Sets the owner; {@code null} clears it. */
        public Builder ownerId(String ownerId) {
            this.ownerId = Optional.of(Optional.ofNullable(ownerId));
            return this;
        }

        /**
         * Replaces the metadata; {@code null} or empty clears it.
         *
         * @throws IllegalArgumentException if a value is not a JSON value
         */
        public Builder metadata(Map<String, ?> metadata) {
            this.metadata = Optional.of(KeyMetadata.copyOf(metadata));
            return this;
        }

        /** Replaces the allowed IP ranges (CIDR notation); {@code null} or empty lifts the restriction. */
        public Builder allowedIps(Collection<String> allowedIps) {
            this.allowedIps = Optional.of(allowedIps == null ? List.of()
                    : Collections.unmodifiableList(new ArrayList<>(allowedIps)));
            return this;
        }

        /** Replaces the allowed web origins; {@code null} or empty lifts the restriction. */
        public Builder allowedOrigins(Collection<String> allowedOrigins) {
            this.allowedOrigins = Optional.of(allowedOrigins == null ? List.of()
                    : Collections.unmodifiableList(new ArrayList<>(allowedOrigins)));
            return this;
        }

        /** Sets the credits left; {@code null} stops counting use. */
        public Builder remaining(Long remaining) {
            this.remaining = Optional.of(Optional.ofNullable(remaining));
            return this;
        }

        /** Sets how credits are refilled; {@code null} stops refilling them. */
        public Builder refill(CreditRefill refill) {
            this.refill = Optional.of(Optional.ofNullable(refill));
            return this;
        }

        /** Sets when credits were last refilled; the service sets it whenever credits or their refill change. */
        public Builder lastRefillAt(Instant lastRefillAt) {
            this.lastRefillAt = Optional.of(Optional.ofNullable(lastRefillAt));
            return this;
        }

        /** Replaces the key's own rate limits; {@code null} or empty lets the configured defaults apply. */
        public Builder rateLimits(Collection<RateLimit> rateLimits) {
            // Not List.copyOf: a null element must reach validation and be reported, not fail here.
            this.rateLimits = Optional.of(rateLimits == null ? List.of()
                    : Collections.unmodifiableList(new ArrayList<>(rateLimits)));
            return this;
        }

        public ApiKeyChanges build() {
            return new ApiKeyChanges(this);
        }
    }
}
