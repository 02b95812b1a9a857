package io.github.apikey.core.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
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

    private ApiKeyChanges(Builder builder) {
        this.name = builder.name;
        this.description = builder.description;
        this.active = builder.active;
        this.scopes = builder.scopes;
        this.expiresAt = builder.expiresAt;
    }

    public static Builder builder() {
        return new Builder();
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

    /** Whether nothing would change. */
    public boolean isEmpty() {
        return name.isEmpty() && description.isEmpty() && active.isEmpty() && scopes.isEmpty()
                && expiresAt.isEmpty();
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
        return changed;
    }

    @Override
    public String toString() {
        return "ApiKeyChanges[name=" + name + ", description=" + description + ", active=" + active + ", scopes="
                + scopes + ", expiresAt=" + expiresAt + "]";
    }

    public static final class Builder {

        private Optional<String> name = Optional.empty();
        private Optional<Optional<String>> description = Optional.empty();
        private Optional<Boolean> active = Optional.empty();
        private Optional<List<String>> scopes = Optional.empty();
        private Optional<Optional<Instant>> expiresAt = Optional.empty();

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

        public ApiKeyChanges build() {
            return new ApiKeyChanges(this);
        }
    }
}
