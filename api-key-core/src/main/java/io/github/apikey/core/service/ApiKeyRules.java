package io.github.apikey.core.service;

import io.github.apikey.core.error.ApiKeyValidationException;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.regex.Pattern;

/**
 * The limits every key's administrator-controlled fields obey. Violations are {@link ApiKeyValidationException}s
 * naming the field.
 */
public final class ApiKeyRules {

    public static final int MAX_NAME_LENGTH = 128;
    public static final int MAX_DESCRIPTION_LENGTH = 1024;
    /** Keeps the stored JSON array within every platform's column (4 KiB on H2). */
    public static final int MAX_SCOPES = 32;
    public static final int MAX_SCOPE_LENGTH = 64;
    /** Lowercase, starting with a letter; colons, underscores and dashes allow namespaces like {@code keys:read}. */
    public static final Pattern SCOPE_PATTERN = Pattern.compile("^[a-z][a-z0-9:_-]*$");

    private ApiKeyRules() {
    }

    static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new ApiKeyValidationException("name", "name must not be blank");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw new ApiKeyValidationException("name", "name must be at most " + MAX_NAME_LENGTH
                    + " characters long, was " + name.length());
        }
        return name;
    }

    static String requireDescription(String description) {
        if (description != null && description.length() > MAX_DESCRIPTION_LENGTH) {
            throw new ApiKeyValidationException("description", "description must be at most "
                    + MAX_DESCRIPTION_LENGTH + " characters long, was " + description.length());
        }
        return description;
    }

    static Collection<String> requireScopes(Collection<String> scopes) {
        if (scopes.size() > MAX_SCOPES) {
            throw new ApiKeyValidationException("scopes", "scopes must be at most " + MAX_SCOPES + ", were "
                    + scopes.size());
        }
        for (String scope : scopes) {
            if (scope != null && scope.length() > MAX_SCOPE_LENGTH) {
                throw new ApiKeyValidationException("scopes", "scopes must each be at most " + MAX_SCOPE_LENGTH
                        + " characters long, but one has " + scope.length());
            }
            if (scope == null || !SCOPE_PATTERN.matcher(scope).matches()) {
                throw new ApiKeyValidationException("scopes", "scopes must each match " + SCOPE_PATTERN.pattern()
                        + ", but " + (scope == null ? "null" : "'" + scope + "'") + " does not");
            }
        }
        return scopes;
    }

    /** Returns the expiry at whole microseconds, the precision databases keep. */
    static Instant requireFutureExpiry(Instant expiresAt, Instant now) {
        if (expiresAt == null) {
            return null;
        }
        Instant stored = expiresAt.truncatedTo(ChronoUnit.MICROS);
        if (!stored.isAfter(now)) {
            throw new ApiKeyValidationException("expiresAt", "expiresAt must lie in the future, was " + expiresAt);
        }
        return stored;
    }
}
