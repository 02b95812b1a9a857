package io.github.apikey.core.service;

import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.RateLimit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a caller asks for when creating a key.
 *
 * @param name           required, at most {@value ApiKeyRules#MAX_NAME_LENGTH} characters
 * @param description    optional, at most {@value ApiKeyRules#MAX_DESCRIPTION_LENGTH} characters
 * @param active         whether the key may authenticate right away
 * @param scopes         granted scopes, each matching {@link ApiKeyRules#SCOPE_PATTERN}; may be empty
 * @param expiresAt      optional expiry, which must lie in the future
 * @param ownerId        optional id of the key's owner in the application (a user or tenant), at most
 *                       {@value ApiKeyRules#MAX_OWNER_ID_LENGTH} characters
 * @param metadata       the application's own data about the key, a JSON object; may be empty
 * @param allowedIps     CIDR blocks the key may be used from; empty: anywhere
 * @param allowedOrigins web origins the key may be used from; empty: any, or none
 * @param remaining      optional number of uses the key has; {@code null}: use is not counted
 * @param refill         optional refill of {@code remaining}; without {@code remaining}, the key starts with the
 *                       refill amount
 * @param rateLimits     the key's own rate limits; empty: the configured defaults apply
 */
public record NewApiKey(String name, String description, boolean active, Collection<String> scopes,
                        Instant expiresAt, String ownerId, Map<String, Object> metadata,
                        Collection<String> allowedIps, Collection<String> allowedOrigins, Long remaining,
                        CreditRefill refill, List<RateLimit> rateLimits) {

    public NewApiKey {
        // Not List.copyOf: a null element must reach validation and be reported, not fail here.
        scopes = copy(scopes);
        allowedIps = copy(allowedIps);
        allowedOrigins = copy(allowedOrigins);
        rateLimits = rateLimits == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(rateLimits));
        metadata = metadata == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    /** A key with neither owner, metadata, restrictions nor credits. */
    public NewApiKey(String name, String description, boolean active, Collection<String> scopes, Instant expiresAt) {
        this(name, description, active, scopes, expiresAt, null, Map.of(), List.of(), List.of(), null, null, List.of());
    }

    private static List<String> copy(Collection<String> values) {
        return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** An active key without description, scopes or expiry. */
    public static NewApiKey named(String name) {
        return new NewApiKey(name, null, true, List.of(), null);
    }

    public NewApiKey withDescription(String description) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    public NewApiKey withActive(boolean active) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    public NewApiKey withScopes(Collection<String> scopes) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    public NewApiKey withExpiresAt(Instant expiresAt) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    public NewApiKey withOwnerId(String ownerId) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    public NewApiKey withMetadata(Map<String, Object> metadata) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    public NewApiKey withAllowedIps(Collection<String> allowedIps) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    public NewApiKey withAllowedOrigins(Collection<String> allowedOrigins) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    /** Counts use: the key authenticates {@code remaining} more times, refilled as {@code refill} says, if set. */
    public NewApiKey withCredits(Long remaining, CreditRefill refill) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }

    public NewApiKey withRateLimits(List<RateLimit> rateLimits) {
        return new NewApiKey(name, description, active, scopes, expiresAt, ownerId, metadata, allowedIps,
                allowedOrigins, remaining, refill, rateLimits);
    }
}
