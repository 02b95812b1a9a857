package io.github.apikey.core.audit;

import java.util.Locale;

/** How a management operation ended; its wire name is the lowercase name. */
public enum ApiKeyEventOutcome {

    SUCCESS,
    /** No key has the id the operation named. */
    NOT_FOUND,
    /** A value broke a rule; the event's details name the field, never the value. */
    INVALID,
    /** An import whose key id is already stored with another secret. */
    CONFLICT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
