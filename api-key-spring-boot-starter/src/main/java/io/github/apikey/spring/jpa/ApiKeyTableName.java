package io.github.apikey.spring.jpa;

import java.util.regex.Pattern;

/** The rule every configured key table name obeys; free of JDBC and JPA, so that configuration can check it. */
public final class ApiKeyTableName {

    private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)?");

    private ApiKeyTableName() {
    }

    /**
     * @return {@code tableName}
     * @throws IllegalArgumentException unless it is a plain SQL identifier, optionally schema-qualified
     */
    public static String require(String tableName) {
        if (tableName == null || !TABLE_NAME.matcher(tableName).matches()) {
            throw new IllegalArgumentException("api-key.jdbc.table-name must be a plain SQL identifier, optionally "
                    + "schema-qualified (letters, digits and underscores), but was '" + tableName + "'");
        }
        return tableName;
    }

    /**
     * The audit trail's table beside the key table {@code tableName}: {@code api_key_events} for the default
     * {@code api_keys}, else {@code <tableName>_events} (in the same schema, if qualified). Its chain head's table is
     * this name followed by {@code _head}.
     */
    public static String eventsTableFor(String tableName) {
        require(tableName);
        return DEFAULT.equals(tableName) ? DEFAULT_EVENTS : tableName + "_events";
    }

    static final String DEFAULT = "api_keys";
    static final String DEFAULT_EVENTS = "api_key_events";
}
