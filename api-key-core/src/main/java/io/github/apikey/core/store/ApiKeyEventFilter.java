package io.github.apikey.core.store;

import io.github.apikey.core.audit.ApiKeyEventAction;

import java.time.Instant;
import java.util.UUID;

/**
 * Which audit events to list, newest first: every criterion optional, {@code from} inclusive and {@code to} exclusive.
 *
 * @param apiKeyId the key's id
 * @param action   the operation
 * @param actor    the actor's name: a key id, a user name or {@code system}
 */
public record ApiKeyEventFilter(UUID apiKeyId, ApiKeyEventAction action, String actor, Instant from, Instant to,
                                int offset, int limit) {

    public ApiKeyEventFilter {
        ApiKeyFilter.requireValidPage(offset, limit);
    }

    public static ApiKeyEventFilter all(int offset, int limit) {
        return new ApiKeyEventFilter(null, null, null, null, null, offset, limit);
    }
}
