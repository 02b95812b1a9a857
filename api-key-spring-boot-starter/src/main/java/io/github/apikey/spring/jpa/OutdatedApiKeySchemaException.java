package io.github.apikey.spring.jpa;

import java.util.List;

/**
 * Start-up found a key table created by an earlier version of the starter, without the columns this version
 * stores keys in, and {@code api-key.jdbc.initialize-schema} does not let the starter add them. Names the missing
 * columns and the upgrade script that adds them.
 */
public class OutdatedApiKeySchemaException extends IllegalStateException {

    private final String tableName;
    private final List<String> missingColumns;
    private final String upgradeScript;

    OutdatedApiKeySchemaException(String tableName, List<String> missingColumns, String upgradeScript) {
        super("The API key table '" + tableName + "' lacks the columns " + String.join(", ", missingColumns)
                + " of schema version " + ApiKeySchemaUpgrade.CURRENT_VERSION + ". Run the upgrade script "
                + upgradeScript + (ApiKeySchemaUpgrade.isDefaultTable(tableName) ? ""
                : " (with api_keys replaced by " + tableName + ")")
                + " against the database, or set api-key.jdbc.initialize-schema=always to have it run at start-up");
        this.tableName = tableName;
        this.missingColumns = List.copyOf(missingColumns);
        this.upgradeScript = upgradeScript;
    }

    public String getTableName() {
        return tableName;
    }

    public List<String> getMissingColumns() {
        return missingColumns;
    }

    /** Where the script is, as a {@code classpath:} location inside the starter's jar. */
    public String getUpgradeScript() {
        return upgradeScript;
    }
}
