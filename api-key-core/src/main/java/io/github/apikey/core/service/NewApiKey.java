package io.github.apikey.core.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * What a caller asks for when creating a key.
 *
 * @param name        required, at most {@value ApiKeyRules#MAX_NAME_LENGTH} characters
 * @param description optional, at most {@value ApiKeyRules#MAX_DESCRIPTION_LENGTH} characters
 * @param active      whether the key may authenticate right away
 * @param scopes      granted scopes, each matching {@link ApiKeyRules#SCOPE_PATTERN}; may be empty
 * @param expiresAt   optional expiry, which must lie in the future
 */
public record NewApiKey(String name, String description, boolean active, Collection<String> scopes,
                        Instant expiresAt) {

    public NewApiKey {
        // Not List.copyOf: a null element must reach validation and be reported, not fail here.
        scopes = scopes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(scopes));
    }

    /** An active key without description, scopes or expiry. */
    public static NewApiKey named(String name) {
        return new NewApiKey(name, null, true, List.of(), null);
    }

    public NewApiKey withDescription(String description) {
        return new NewApiKey(name, description, active, scopes, expiresAt);
    }

    public NewApiKey withActive(boolean active) {
        return new NewApiKey(name, description, active, scopes, expiresAt);
    }

    public NewApiKey withScopes(Collection<String> scopes) {
        return new NewApiKey(name, description, active, scopes, expiresAt);
    }

    public NewApiKey withExpiresAt(Instant expiresAt) {
        return new NewApiKey(name, description, active, scopes, expiresAt);
    }
}
