package io.github.apikey.core.audit;

import java.util.Locale;
import java.util.Objects;

/**
 * Who performed a management operation, and from where.
 *
 * @param type          what {@code name} is
 * @param name          the acting key's key id (the public part of the key), a user name, or {@code system}
 * @param clientAddress the client address of the request, as the application resolves it; {@code null} outside a
 *                      request
 */
public record ApiKeyActor(Type type, String name, String clientAddress) {

    /** The application itself: start-up (bootstrap), scheduled work (purge), code outside any request. */
    public static final ApiKeyActor SYSTEM = new ApiKeyActor(Type.SYSTEM, "system", null);

    public ApiKeyActor {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
    }

    public static ApiKeyActor apiKey(String keyId, String clientAddress) {
        return new ApiKeyActor(Type.API_KEY, keyId, clientAddress);
    }

    public static ApiKeyActor user(String name, String clientAddress) {
        return new ApiKeyActor(Type.USER, name, clientAddress);
    }

    public enum Type {
        /** An API key, named by its key id. */
        API_KEY,
        /** Any other authenticated principal, named by {@code Authentication.getName()}. */
        USER,
        /** The application itself. */
        SYSTEM;

        public String wireName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }

        public static Type fromWireName(String name) {
            for (Type type : values()) {
                if (type.wireName().equals(name)) {
                    return type;
                }
            }
            throw new IllegalArgumentException("Unknown actor type " + name);
        }
    }
}
