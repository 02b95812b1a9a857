package io.github.apikey.spring.jpa;

import io.github.apikey.spring.jpa.entity.ApiKeyEntity;
import io.github.apikey.spring.jpa.audit.ApiKeyEventEntity;
import io.github.apikey.spring.jpa.audit.ApiKeyEventHeadEntity;

import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;

/**
 * Maps the key entity's logical table name to the configured one (and the audit trail's to the names that follow it,
 * {@link ApiKeyTableName#eventsTableFor}) and leaves every other name to the
 * application's own strategy, so that the application's entities are named exactly as before.
 */
public final class ApiKeyTableNamingStrategy implements PhysicalNamingStrategy {

    private final PhysicalNamingStrategy delegate;
    private final String catalogOrSchema;
    private final String table;
    private final String events;

    public ApiKeyTableNamingStrategy(PhysicalNamingStrategy delegate, String tableName) {
        this.delegate = delegate;
        int dot = tableName.indexOf('.');
        this.catalogOrSchema = dot < 0 ? null : tableName.substring(0, dot);
        this.table = tableName.substring(dot + 1);
        String eventsTable = ApiKeyTableName.eventsTableFor(tableName);
        this.events = eventsTable.substring(eventsTable.indexOf('.') + 1);
    }

    private Identifier qualified(String name) {
        return catalogOrSchema == null ? Identifier.toIdentifier(name)
                : Identifier.toIdentifier(catalogOrSchema + "." + name);
    }

    /** Whether {@code logicalName} is the key table, which carries no schema of its own. */
    private static boolean isApiKeyTable(Identifier logicalName) {
        return logicalName != null && ApiKeyEntity.LOGICAL_TABLE_NAME.equals(logicalName.getText());
    }

    @Override
    public Identifier toPhysicalTableName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
        if (isApiKeyTable(logicalName)) {
            return qualified(table);
        }
        if (logicalName != null && ApiKeyEventEntity.LOGICAL_TABLE_NAME.equals(logicalName.getText())) {
            return qualified(events);
        }
        if (logicalName != null && ApiKeyEventHeadEntity.LOGICAL_TABLE_NAME.equals(logicalName.getText())) {
            return qualified(events + "_head");
        }
        return delegate.toPhysicalTableName(logicalName, jdbcEnvironment);
    }

    @Override
    public Identifier toPhysicalCatalogName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
        return delegate.toPhysicalCatalogName(logicalName, jdbcEnvironment);
    }

    @Override
    public Identifier toPhysicalSchemaName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
        return delegate.toPhysicalSchemaName(logicalName, jdbcEnvironment);
    }

    @Override
    public Identifier toPhysicalSequenceName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
        return delegate.toPhysicalSequenceName(logicalName, jdbcEnvironment);
    }

    @Override
    public Identifier toPhysicalColumnName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
        return delegate.toPhysicalColumnName(logicalName, jdbcEnvironment);
    }
}
