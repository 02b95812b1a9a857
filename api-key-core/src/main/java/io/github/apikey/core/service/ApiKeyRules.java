package io.github.apikey.core.service;

import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.IpRange;
import io.github.apikey.core.domain.KeyMetadata;
import io.github.apikey.core.domain.Origins;
import io.github.apikey.core.domain.RateLimit;

import io.github.apikey.core.error.ApiKeyValidationException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
    public static final int MAX_OWNER_ID_LENGTH = 128;
    /** Default largest metadata document, as compact UTF-8 JSON. */
    public static final int DEFAULT_MAX_METADATA_BYTES = 4096;
    public static final int MAX_METADATA_NAME_LENGTH = 64;
    public static final int MAX_ALLOWED_IPS = 64;
    public static final int MAX_ALLOWED_ORIGINS = 32;
    public static final int MAX_RATE_LIMITS = 8;
    /** Names of rate limits: a token that headers can carry unquoted. */
    public static final Pattern RATE_LIMIT_NAME_PATTERN = Pattern.compile("^[a-z][a-z0-9_-]{0,31}$");
    public static final Duration MIN_RATE_LIMIT_WINDOW = Duration.ofSeconds(1);
    public static final Duration MAX_RATE_LIMIT_WINDOW = Duration.ofDays(366);
    /** Default longest grace period of a rotation. */
    public static final Duration DEFAULT_MAX_GRACE_PERIOD = Duration.ofDays(30);
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

    static String requireOwnerId(String ownerId) {
        if (ownerId == null) {
            return null;
        }
        if (ownerId.isBlank()) {
            throw new ApiKeyValidationException("ownerId", "ownerId must not be blank; leave it out for no owner");
        }
        if (ownerId.length() > MAX_OWNER_ID_LENGTH) {
            throw new ApiKeyValidationException("ownerId", "ownerId must be at most " + MAX_OWNER_ID_LENGTH
                    + " characters long, was " + ownerId.length());
        }
        if (ownerId.chars().anyMatch(Character::isISOControl)) {
            throw new ApiKeyValidationException("ownerId", "ownerId must not contain control characters");
        }
        return ownerId;
    }

    /** Returns an immutable deep copy in the key order given. */
    static Map<String, Object> requireMetadata(Map<String, ?> metadata, int maxBytes) {
        Map<String, Object> copy;
        try {
            copy = KeyMetadata.copyOf(metadata);
        } catch (IllegalArgumentException notJson) {
            throw new ApiKeyValidationException("metadata", notJson.getMessage());
        }
        for (String name : copy.keySet()) {
            if (name.isEmpty() || name.length() > MAX_METADATA_NAME_LENGTH) {
                throw new ApiKeyValidationException("metadata", "metadata names must be 1 to "
                        + MAX_METADATA_NAME_LENGTH + " characters long");
            }
        }
        int size = KeyMetadata.toJson(copy).getBytes(StandardCharsets.UTF_8).length;
        if (size > maxBytes) {
            throw new ApiKeyValidationException("metadata", "metadata must be at most " + maxBytes
                    + " bytes as JSON, was " + size);
        }
        return copy;
    }

    /** Returns each block in canonical CIDR notation, without duplicates. */
    static List<String> requireAllowedIps(Collection<String> allowedIps) {
        if (allowedIps.size() > MAX_ALLOWED_IPS) {
            throw new ApiKeyValidationException("allowedIps", "allowedIps must be at most " + MAX_ALLOWED_IPS
                    + ", were " + allowedIps.size());
        }
        Set<String> canonical = new LinkedHashSet<>();
        for (String cidr : allowedIps) {
            try {
                canonical.add(IpRange.parse(String.valueOf(cidr)).toString());
            } catch (IllegalArgumentException malformed) {
                throw new ApiKeyValidationException("allowedIps", "allowedIps must each be an IPv4 or IPv6 address"
                        + " or CIDR block such as 203.0.113.0/24, but " + quoted(cidr) + " is not");
            }
        }
        return List.copyOf(canonical);
    }

    /** Returns each origin serialized ({@code https://example.com}), without duplicates. */
    static List<String> requireAllowedOrigins(Collection<String> allowedOrigins) {
        if (allowedOrigins.size() > MAX_ALLOWED_ORIGINS) {
            throw new ApiKeyValidationException("allowedOrigins", "allowedOrigins must be at most "
                    + MAX_ALLOWED_ORIGINS + ", were " + allowedOrigins.size());
        }
        Set<String> serialized = new LinkedHashSet<>();
        for (String origin : allowedOrigins) {
            String normalized = Origins.normalize(origin);
            if (normalized == null) {
                throw new ApiKeyValidationException("allowedOrigins", "allowedOrigins must each be an http or https"
                        + " origin such as https://app.example.com (no path), but " + quoted(origin) + " is not");
            }
            serialized.add(normalized);
        }
        return List.copyOf(serialized);
    }

    /**
     * Checks a set of rate limits, for a key ({@code field} {@code rateLimits}) or a configuration property.
     *
     * @throws ApiKeyValidationException naming {@code field}
     */
    public static List<RateLimit> requireRateLimits(Collection<RateLimit> limits, String field) {
        if (limits == null) {
            return List.of();
        }
        if (limits.size() > MAX_RATE_LIMITS) {
            throw new ApiKeyValidationException(field, field + " must be at most " + MAX_RATE_LIMITS + ", were "
                    + limits.size());
        }
        Set<String> names = new LinkedHashSet<>();
        for (RateLimit limit : limits) {
            if (limit == null) {
                throw new ApiKeyValidationException(field, field + " must not contain null");
            }
            if (!RATE_LIMIT_NAME_PATTERN.matcher(limit.name()).matches()) {
                throw new ApiKeyValidationException(field, field + " names must match "
                        + RATE_LIMIT_NAME_PATTERN.pattern() + ", but " + quoted(limit.name()) + " does not");
            }
            if (!names.add(limit.name())) {
                throw new ApiKeyValidationException(field, field + " names must be unique, but '" + limit.name()
                        + "' appears twice");
            }
            if (limit.limit() < 1) {
                throw new ApiKeyValidationException(field, field + " limit must be at least 1, was "
                        + limit.limit());
            }
            if (limit.duration().compareTo(MIN_RATE_LIMIT_WINDOW) < 0
                    || limit.duration().compareTo(MAX_RATE_LIMIT_WINDOW) > 0) {
                throw new ApiKeyValidationException(field, field + " duration must be from PT1S to P366D, was "
                        + limit.duration());
            }
            if (limit.limit() > limit.duration().toNanos()) {
                // Bucket4j cannot restore more than one request per nanosecond; past that every request would fail.
                throw new ApiKeyValidationException(field, field + " limit must be at most one per nanosecond of its"
                        + " duration (" + limit.duration().toNanos() + " for " + limit.duration() + "), was "
                        + limit.limit());
            }
        }
        return List.copyOf(limits);
    }

    static Long requireRemaining(Long remaining) {
        if (remaining != null && remaining < 0) {
            throw new ApiKeyValidationException("remaining", "remaining must be at least 0, was " + remaining);
        }
        return remaining;
    }

    static CreditRefill requireRefill(CreditRefill refill) {
        if (refill != null && refill.amount() < 1) {
            throw new ApiKeyValidationException("refill", "refill amount must be at least 1, was "
                    + refill.amount());
        }
        return refill;
    }

    static Duration requireGracePeriod(Duration gracePeriod, Duration max) {
        Duration grace = gracePeriod == null ? Duration.ZERO : gracePeriod;
        if (grace.isNegative() || grace.compareTo(max) > 0) {
            throw new ApiKeyValidationException("gracePeriod", "gracePeriod must be from PT0S to " + max
                    + ", was " + grace);
        }
        return grace;
    }

    private static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > 64 ? value.substring(0, 64) + "..." : value;
        return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
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
