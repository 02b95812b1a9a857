package io.github.apikey.core.audit;

import java.util.Locale;
import java.util.Optional;

/** What a management operation did; its wire name (in events, the API and the hash) is the lowercase name. */
public enum ApiKeyEventAction {

    CREATE, IMPORT, UPDATE, ACTIVATE, DEACTIVATE, ROTATE, DELETE, BOOTSTRAP,
    /** Events older than the retention were deleted; the event carries the anchor that keeps the chain verifiable. */
    PURGE;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ApiKeyEventAction> fromWireName(String name) {
        for (ApiKeyEventAction action : values()) {
            if (action.wireName().equals(name)) {
                return Optional.of(action);
            }
        }
        return Optional.empty();
    }
}
