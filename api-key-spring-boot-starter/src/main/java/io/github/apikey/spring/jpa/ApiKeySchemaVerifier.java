package io.github.apikey.spring.jpa;

import javax.sql.DataSource;

import org.springframework.beans.factory.InitializingBean;

/**
 * Fails start-up with {@link OutdatedApiKeySchemaException} when the key table lacks columns of the current schema
 * version (columns of version 2, the audit trail's tables of version 3), for applications whose schema the starter never touches ({@code api-key.jdbc.initialize-schema=never}):
 * better than the first key written or read failing on a missing column. Only reads the table's columns.
 */
public class ApiKeySchemaVerifier implements InitializingBean {

    private final ApiKeySchemaUpgrade upgrade;

    public ApiKeySchemaVerifier(DataSource dataSource, String platform, String tableName) {
        this(dataSource, platform, tableName, true);
    }

    /** @param audit whether the audit trail's tables are required too */
    public ApiKeySchemaVerifier(DataSource dataSource, String platform, String tableName, boolean audit) {
        this.upgrade = new ApiKeySchemaUpgrade(dataSource, platform, tableName, audit);
    }

    @Override
    public void afterPropertiesSet() {
        upgrade.requireCurrent();
    }
}
