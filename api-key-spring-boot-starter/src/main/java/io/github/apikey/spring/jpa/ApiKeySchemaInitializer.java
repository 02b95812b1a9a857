package io.github.apikey.spring.jpa;

import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.datasource.init.ScriptException;

/**
 * Creates the key table from the script of the DataSource's platform, following
 * {@code api-key.jdbc.initialize-schema}. Spring Boot detects it as a database initializer, so the JPA
 * EntityManagerFactory waits for it. The scripts name the tables {@code api_keys} and {@code api_key_events}
 * (with its head, {@code api_key_events_head}); a configured table name replaces them
 * ({@link ApiKeyTableName#eventsTableFor}), and their constraint and index names follow.
 */
public class ApiKeySchemaInitializer extends DataSourceScriptDatabaseInitializer {

    static final String SCHEMA_LOCATION = "classpath:io/github/apikey/spring/jpa/schema-@@platform@@.sql";

    private static final Pattern TABLE_REFERENCE = Pattern.compile("(?<![A-Za-z0-9_])api_keys(?![A-Za-z0-9_])");
    private static final Pattern NAME_PART = Pattern.compile("(?<=[A-Za-z0-9]_)api_keys");
    private static final Pattern EVENTS_REFERENCE = Pattern.compile("(?<![A-Za-z0-9_])api_key_events");
    private static final Pattern EVENTS_NAME_PART = Pattern.compile("(?<=[A-Za-z0-9]_)api_key_events");
    private static final String EVENTS_STEM_PLACEHOLDER = "\u0001EVENTS_STEM\u0001";
    private static final String EVENTS_PLACEHOLDER = "\u0001EVENTS\u0001";

    private static final int ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(ApiKeySchemaInitializer.class);

    private final List<String> schemaLocations;
    private final String tableName;
    private final DatabaseInitializationMode mode;
    private final ApiKeySchemaUpgrade upgrade;

    public ApiKeySchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, String platform,
                                   String tableName) {
        this(dataSource, mode, platform, tableName, true);
    }

    /** @param audit whether the audit trail's tables are required of an existing installation */
    public ApiKeySchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, String platform,
                                   String tableName, boolean audit) {
        this(dataSource, mode, ApiKeySchemaUpgrade.resolve(dataSource, platform, SCHEMA_LOCATION),
                ApiKeyTableName.require(tableName), new ApiKeySchemaUpgrade(dataSource, platform, tableName, audit));
    }

    private ApiKeySchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, List<String> locations,
                                    String tableName, ApiKeySchemaUpgrade upgrade) {
        super(dataSource, settings(mode, locations));
        this.schemaLocations = locations;
        this.tableName = tableName;
        this.mode = mode;
        this.upgrade = upgrade;
    }

    private static DatabaseInitializationSettings settings(DatabaseInitializationMode mode, List<String> locations) {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(locations);
        settings.setMode(mode);
        settings.setContinueOnError(false);
        return settings;
    }

    /** The script with the configured table name, as it will run. */
    static String rewrite(String script, String tableName) {
        String events = ApiKeyTableName.eventsTableFor(tableName);
        String eventsStem = events.substring(events.indexOf('.') + 1);
        // The event tables' names become placeholders first: a configured name that itself ends in api_keys (say
        // tenant_api_keys) would otherwise be renamed again inside the event tables' new names.
        script = EVENTS_NAME_PART.matcher(script).replaceAll(EVENTS_STEM_PLACEHOLDER);
        script = EVENTS_REFERENCE.matcher(script).replaceAll(EVENTS_PLACEHOLDER);
        String stem = tableName.substring(tableName.indexOf('.') + 1);
        script = NAME_PART.matcher(script).replaceAll(Matcher.quoteReplacement(stem));
        script = TABLE_REFERENCE.matcher(script).replaceAll(Matcher.quoteReplacement(tableName));
        return script.replace(EVENTS_STEM_PLACEHOLDER, eventsStem).replace(EVENTS_PLACEHOLDER, events);
    }

    /**
     * Brings a table of an earlier schema version forward first, then runs the script; again if either failed:
     * PostgreSQL's {@code CREATE ... IF NOT EXISTS} and {@code ADD COLUMN IF NOT EXISTS} fail with a unique
     * violation in its catalog when another instance creates the same table, column or index at the same moment,
     * and both scripts are idempotent, so a second run finds what the other instance created. The upgrade runs
     * before the schema script, whose index on a version 2 column would fail on a version 1 table.
     *
     * @throws OutdatedApiKeySchemaException if the table is of an earlier version and this initializer does not
     *                                       create the schema (mode {@code never}, or {@code embedded} on a
     *                                       database that is not)
     */
    @Override
    public boolean initializeDatabase() {
        for (int attempt = 1; ; attempt++) {
            try {
                upgradeIfOutdated();
                return super.initializeDatabase();
            } catch (ScriptException failed) {
                if (attempt == ATTEMPTS) {
                    throw failed;
                }
                log.debug("API key schema script failed, maybe run by another instance at the same time; running "
                        + "it again", failed);
                try {
                    Thread.sleep(ThreadLocalRandom.current().nextLong(50, 250));
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw failed;
                }
            }
        }
    }

    private void upgradeIfOutdated() {
        List<String> missing = upgrade.missingColumns();
        boolean eventsMissing = upgrade.eventTablesMissing();
        if (missing.isEmpty() && !eventsMissing) {
            return;
        }
        if (!createsSchema()) {
            upgrade.requireCurrent();
            return;
        }
        if (!missing.isEmpty()) {
            log.info("The API key table {} lacks the columns {} of schema version 2; adding them with {}", tableName,
                    missing, upgrade.upgradeLocation());
            upgrade.apply();
        }
        if (eventsMissing) {
            log.info("The API key table {} has no audit trail tables (schema version {}); adding them with {}",
                    tableName, ApiKeySchemaUpgrade.CURRENT_VERSION, upgrade.eventsUpgradeLocation());
            upgrade.applyEvents();
        }
    }

    /** Whether this initializer runs its scripts, by the rule Spring Boot applies to them. */
    private boolean createsSchema() {
        return mode == DatabaseInitializationMode.ALWAYS
                || (mode == DatabaseInitializationMode.EMBEDDED && isEmbeddedDatabase());
    }

    @Override
    protected void customize(ResourceDatabasePopulator populator) {
        if (ApiKeyEntity.LOGICAL_TABLE_NAME.equals(tableName)) {
            return;
        }
        DefaultResourceLoader loader = new DefaultResourceLoader();
        Resource[] scripts = schemaLocations.stream().map(loader::getResource).map(this::renamed)
                .toArray(Resource[]::new);
        populator.setScripts(scripts);
    }

    private Resource renamed(Resource script) {
        try {
            String sql = script.getContentAsString(StandardCharsets.UTF_8);
            return new ByteArrayResource(rewrite(sql, tableName).getBytes(StandardCharsets.UTF_8),
                    script.getDescription() + " for table " + tableName);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read API key schema script " + script, e);
        }
    }
}
