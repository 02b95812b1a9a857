package io.github.apikey.spring.jpa;

import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.sql.DataSource;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.datasource.init.DatabasePopulatorUtils;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.util.StringUtils;

/**
 * Tells a key table of an earlier schema version from a current one, and brings it forward with the platform's
 * {@code upgrade-1-to-2-<platform>.sql}. A table is told apart by its columns, read from an empty query on it, so
 * that neither the table name's case nor its schema matter as they would in JDBC metadata.
 */
final class ApiKeySchemaUpgrade {

    static final int CURRENT_VERSION = 2;

    static final String UPGRADE_LOCATION = "classpath:io/github/apikey/spring/jpa/upgrade-1-to-2-@@platform@@.sql";

    /** The columns schema version 2 added, in the order of the script. */
    static final List<String> VERSION_2_COLUMNS = List.of("owner_id", "metadata", "allowed_ips", "allowed_origins",
            "remaining", "refill_amount", "refill_interval", "last_refill_at", "rotated_at", "previous_key_hash",
            "previous_secret_expires_at", "rate_limits");

    private final DataSource dataSource;
    private final String tableName;
    private final String upgradeLocation;

    ApiKeySchemaUpgrade(DataSource dataSource, String platform, String tableName) {
        this.dataSource = dataSource;
        this.tableName = ApiKeyTableName.require(tableName);
        this.upgradeLocation = resolve(dataSource, platform, UPGRADE_LOCATION).get(0);
    }

    static List<String> resolve(DataSource dataSource, String platform, String location) {
        PlatformPlaceholderDatabaseDriverResolver resolver = new PlatformPlaceholderDatabaseDriverResolver()
                .withDriverPlatform(DatabaseDriver.MARIADB, "mysql");
        return StringUtils.hasText(platform) ? resolver.resolveAll(platform, location)
                : resolver.resolveAll(dataSource, location);
    }

    static boolean isDefaultTable(String tableName) {
        return ApiKeyEntity.LOGICAL_TABLE_NAME.equals(tableName);
    }

    String upgradeLocation() {
        return upgradeLocation;
    }

    /**
     * The version 2 columns the table lacks: all of them for a version 1 table, none for a current one, and none
     * when there is no table at all (the schema script creates a current one, or the application has yet to).
     */
    List<String> missingColumns() {
        Set<String> present = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet empty = statement.executeQuery("SELECT * FROM " + tableName + " WHERE 1 = 0")) {
            ResultSetMetaData columns = empty.getMetaData();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                present.add(columns.getColumnName(i).toLowerCase(Locale.ROOT));
            }
        } catch (SQLException noTable) {
            return List.of();
        }
        List<String> missing = new ArrayList<>();
        for (String column : VERSION_2_COLUMNS) {
            if (!present.contains(column)) {
                missing.add(column);
            }
        }
        return missing;
    }

    /** Runs the upgrade script, for the configured table name. It is idempotent. */
    void apply() {
        Resource script = new DefaultResourceLoader().getResource(upgradeLocation);
        Resource renamed;
        try {
            renamed = isDefaultTable(tableName) ? script : new ByteArrayResource(ApiKeySchemaInitializer
                    .rewrite(script.getContentAsString(StandardCharsets.UTF_8), tableName)
                    .getBytes(StandardCharsets.UTF_8), script.getDescription() + " for table " + tableName);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("Could not read API key schema upgrade script " + script, e);
        }
        DatabasePopulatorUtils.execute(new ResourceDatabasePopulator(renamed), dataSource);
    }

    /** @throws OutdatedApiKeySchemaException if the table lacks columns of the current version */
    void requireCurrent() {
        List<String> missing = missingColumns();
        if (!missing.isEmpty()) {
            throw new OutdatedApiKeySchemaException(tableName, missing, upgradeLocation);
        }
    }
}
