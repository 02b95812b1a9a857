package io.github.apikey.spring.jpa;

import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import org.hibernate.boot.model.naming.Identifier;
import org.hibernate.boot.model.naming.PhysicalNamingStrategy;
import org.hibernate.engine.jdbc.env.spi.JdbcEnvironment;

/**
 * Maps the key entity's logical table name to the configured one and leaves every other name to the
 * application's own strategy, so that the application's entities are named exactly as before.
 */
public final class ApiKeyTableNamingStrategy implements PhysicalNamingStrategy {

    private final PhysicalNamingStrategy delegate;
    private final String catalogOrSchema;
    private final String table;

    public ApiKeyTableNamingStrategy(PhysicalNamingStrategy delegate, String tableName) {
        this.delegate = delegate;
        int dot = tableName.indexOf('.');
        this.catalogOrSchema = dot < 0 ? null : tableName.substring(0, dot);
        this.table = tableName.substring(dot + 1);
    }

    /** Whether {@code logicalName} is the key table, which carries no schema of its own. */
    private static boolean isApiKeyTable(Identifier logicalName) {
        return logicalName != null && ApiKeyEntity.LOGICAL_TABLE_NAME.equals(logicalName.getText());
    }

    @Override
    public Identifier toPhysicalTableName(Identifier logicalName, JdbcEnvironment jdbcEnvironment) {
        if (isApiKeyTable(logicalName)) {
            return catalogOrSchema == null ? Identifier.toIdentifier(table)
                    : Identifier.toIdentifier(catalogOrSchema + "." + table);
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
