package io.github.apikey.spring.autoconfigure;

import io.github.apikey.spring.jpa.ApiKeyTableName;
import io.github.apikey.spring.jpa.OutdatedApiKeySchemaException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Explains a key table of an earlier schema version with the two ways forward: the script, or the property. */
class OutdatedApiKeySchemaFailureAnalyzer extends AbstractFailureAnalyzer<OutdatedApiKeySchemaException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, OutdatedApiKeySchemaException cause) {
        String table = cause.getTableName();
        return new FailureAnalysis("The API key table '" + table + "' was created by an earlier version of the "
                + "starter: it lacks " + String.join(", ", cause.getMissingColumns())
                + ", which this version stores keys and their audit trail in.",
                "Run the upgrade script " + cause.getUpgradeScript() + " (inside the api-key-spring-boot-starter "
                        + "jar)" + ("api_keys".equals(table) ? "" : ", with api_keys replaced by " + table
                        + " and api_key_events by " + ApiKeyTableName.eventsTableFor(table))
                        + ", against the database, or set api-key.jdbc.initialize-schema=always to have the "
                        + "application run it at start-up. The scripts only add nullable columns, "
                        + "indexes and the audit trail's tables, so applications of the earlier version, and keyshield, "
                        + "keep working with the key table.",
                cause);
    }
}
