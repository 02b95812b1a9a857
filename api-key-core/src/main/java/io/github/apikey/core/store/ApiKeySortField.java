package io.github.apikey.core.store;

import io.github.apikey.core.domain.ApiKey;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Optional;
import java.util.function.Function;

/**
 * Fields a key listing can be ordered by. Keys without a value (no expiry, never used) always come last, in both
 * directions; ties are broken by id, ascending, so that pages are stable.
 */
public enum ApiKeySortField {

    ID("id", ApiKey::getId),
    NAME("name", ApiKey::getName),
    CREATED_AT("createdAt", ApiKey::getCreatedAt),
    EXPIRES_AT("expiresAt", ApiKey::getExpiresAt),
    LAST_USED_AT("lastUsedAt", ApiKey::getLastUsedAt),
    ACTIVE("active", ApiKey::isActive),
    KEY_ID("keyId", ApiKey::getKeyId);

    private final String propertyName;
    private final Function<ApiKey, ? extends Comparable<?>> getter;

    ApiKeySortField(String propertyName, Function<ApiKey, ? extends Comparable<?>> getter) {
        this.propertyName = propertyName;
        this.getter = getter;
    }

    /** The entity property this field sorts by, as named in JSON and JPA. */
    public String propertyName() {
        return propertyName;
    }

    /**
     * Looks a field up by its property name ({@code createdAt}) or by its snake_case or constant name
     * ({@code created_at}, {@code CREATED_AT}), as keyshield clients send it.
     */
    public static Optional<ApiKeySortField> fromName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String normalized = name.replace("_", "").toLowerCase(java.util.Locale.ROOT);
        if (normalized.equals("isactive")) {
            normalized = "active";
        }
        String wanted = normalized;
        return Arrays.stream(values())
                .filter(field -> field.propertyName.toLowerCase(java.util.Locale.ROOT).equals(wanted))
                .findFirst();
    }

    /** Orders keys as a database would with {@code ORDER BY field [DESC] NULLS LAST, id}. */
    public Comparator<ApiKey> comparator(boolean descending) {
        Comparator<Comparable<Object>> direction = descending ? Comparator.reverseOrder() : Comparator.naturalOrder();
        @SuppressWarnings("unchecked")
        Function<ApiKey, Comparable<Object>> value = key -> (Comparable<Object>) comparableValue(key);
        Comparator<ApiKey> primary = Comparator.comparing(value, Comparator.nullsLast(direction));
        return this == ID ? primary : primary.thenComparing(key -> key.getId().toString());
    }

    private Comparable<?> comparableValue(ApiKey key) {
        Object value = getter.apply(key);
        // UUID.compareTo is signed; databases compare the text (or unsigned bytes), which the string matches.
        return this == ID ? value.toString() : (Comparable<?>) value;
    }
}
