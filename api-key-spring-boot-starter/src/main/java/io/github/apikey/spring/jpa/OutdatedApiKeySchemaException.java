package io.github.apikey.spring.jpa;

import java.util.List;

/**
 * Start-up found a key table created by an earlier version of the starter, without the columns this version
 * stores keys in (version 2) or the audit trail's tables (version 3), and {@code api-key.jdbc.initialize-schema} does
 * not let the starter add them. Names what is missing ({@code table <name>} for a table) and the upgrade scripts.
 */
public class OutdatedApiKeySchemaException extends IllegalStateException {

    private final String tableName;
    private final List<String> missingColumns;
    private final String upgradeScript;

    OutdatedApiKeySchemaException(String tableName, List<String> missingColumns, String upgradeScript) {
        super("The API key table '" + tableName + "' lacks " + String.join(", ", missingColumns)
                + " of schema version " + ApiKeySchemaUpgrade.CURRENT_VERSION + ". Run the upgrade script "
                + upgradeScript + (ApiKeySchemaUpgrade.isDefaultTable(tableName) ? ""
                : " (with api_keys replaced by " + tableName + " and api_key_events by "
                + ApiKeyTableName.eventsTableFor(tableName) + ")")
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

    /** Where the script is (or the scripts are, in order), as {@code classpath:} locations inside the starter's jar. */
    public String getUpgradeScript() {
        return upgradeScript;
    }
}
