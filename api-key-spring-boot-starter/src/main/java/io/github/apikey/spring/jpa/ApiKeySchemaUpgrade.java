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
 * {@code upgrade-1-to-2-<platform>.sql} (version 2's columns) and {@code upgrade-2-to-3-<platform>.sql} (version 3's
 * audit trail tables). A table is told apart by its columns, read from an empty query on it, so
 * that neither the table name's case nor its schema matter as they would in JDBC metadata.
 */
final class ApiKeySchemaUpgrade {

    static final int CURRENT_VERSION = 3;

    static final String UPGRADE_LOCATION = "classpath:io/github/apikey/spring/jpa/upgrade-1-to-2-@@platform@@.sql";

    static final String EVENTS_UPGRADE_LOCATION =
            "classpath:io/github/apikey/spring/jpa/upgrade-2-to-3-@@platform@@.sql";

    /** The columns schema version 2 added, in the order of the script. */
    static final List<String> VERSION_2_COLUMNS = List.of("owner_id", "metadata", "allowed_ips", "allowed_origins",
            "remaining", "refill_amount", "refill_interval", "last_refill_at", "rotated_at", "previous_key_hash",
            "previous_secret_expires_at", "rate_limits");

    private final DataSource dataSource;
    private final String tableName;
    private final String upgradeLocation;
    private final String eventsUpgradeLocation;
    private final boolean audit;

    ApiKeySchemaUpgrade(DataSource dataSource, String platform, String tableName, boolean audit) {
        this.dataSource = dataSource;
        this.tableName = ApiKeyTableName.require(tableName);
        this.upgradeLocation = resolve(dataSource, platform, UPGRADE_LOCATION).get(0);
        this.eventsUpgradeLocation = resolve(dataSource, platform, EVENTS_UPGRADE_LOCATION).get(0);
        this.audit = audit;
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

    String eventsUpgradeLocation() {
        return eventsUpgradeLocation;
    }

    /**
     * Whether the key table is there but the audit trail's tables are not (with the audit trail on): an installation of
     * schema version 2 or earlier.
     */
    boolean eventTablesMissing() {
        if (!audit || columns(tableName) == null) {
            return false;
        }
        String events = ApiKeyTableName.eventsTableFor(tableName);
        return columns(events) == null || columns(events + "_head") == null;
    }

    /** The table's columns in lowercase, or {@code null} if there is no such table. */
    private Set<String> columns(String table) {
        Set<String> present = new HashSet<>();
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet empty = statement.executeQuery("SELECT * FROM " + table + " WHERE 1 = 0")) {
            ResultSetMetaData columns = empty.getMetaData();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
                present.add(columns.getColumnName(i).toLowerCase(Locale.ROOT));
            }
            return present;
        } catch (SQLException noTable) {
            return null;
        }
    }

    /**
     * The version 2 columns the table lacks: all of them for a version 1 table, none for a current one, and none
     * when there is no table at all (the schema script creates a current one, or the application has yet to).
     */
    List<String> missingColumns() {
        Set<String> present = columns(tableName);
        if (present == null) {
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

    /** Runs the upgrade script from version 1 to 2, for the configured table name. It is idempotent. */
    void apply() {
        run(upgradeLocation);
    }

    /** Runs the upgrade script from version 2 to 3, for the configured table name. It is idempotent. */
    void applyEvents() {
        run(eventsUpgradeLocation);
    }

    private void run(String location) {
        Resource script = new DefaultResourceLoader().getResource(location);
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

    /**
     * @throws OutdatedApiKeySchemaException if the table lacks columns of version 2, or (with the audit trail on) the
     *                                       tables of version 3, naming the scripts to run in order
     */
    void requireCurrent() {
        List<String> missing = new ArrayList<>(missingColumns());
        List<String> scripts = new ArrayList<>();
        if (!missing.isEmpty()) {
            scripts.add(upgradeLocation);
        }
        if (eventTablesMissing()) {
            String events = ApiKeyTableName.eventsTableFor(tableName);
            missing.add("table " + events);
            missing.add("table " + events + "_head");
            scripts.add(eventsUpgradeLocation);
        }
        if (!missing.isEmpty()) {
            throw new OutdatedApiKeySchemaException(tableName, missing, String.join(", then ", scripts));
        }
    }
}
