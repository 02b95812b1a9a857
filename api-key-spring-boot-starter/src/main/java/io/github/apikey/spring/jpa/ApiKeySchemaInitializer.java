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
import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.boot.jdbc.init.DataSourceScriptDatabaseInitializer;
import org.springframework.boot.jdbc.init.PlatformPlaceholderDatabaseDriverResolver;
import org.springframework.boot.sql.init.DatabaseInitializationMode;
import org.springframework.boot.sql.init.DatabaseInitializationSettings;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.jdbc.datasource.init.ResourceDatabasePopulator;
import org.springframework.jdbc.datasource.init.ScriptException;
import org.springframework.util.StringUtils;

/**
 * Creates the key table from the script of the DataSource's platform, following
 * {@code api-key.jdbc.initialize-schema}. Spring Boot detects it as a database initializer, so the JPA
 * EntityManagerFactory waits for it. The scripts name the table {@code api_keys}; a configured table name
 * replaces it, and its constraint and index names follow.
 */
public class ApiKeySchemaInitializer extends DataSourceScriptDatabaseInitializer {

    static final String SCHEMA_LOCATION = "classpath:io/github/apikey/spring/jpa/schema-@@platform@@.sql";

    private static final Pattern TABLE_REFERENCE = Pattern.compile("(?<![A-Za-z0-9_])api_keys(?![A-Za-z0-9_])");
    private static final Pattern NAME_PART = Pattern.compile("(?<=[A-Za-z0-9]_)api_keys");

    private static final int ATTEMPTS = 3;

    private static final Logger log = LoggerFactory.getLogger(ApiKeySchemaInitializer.class);

    private final List<String> schemaLocations;
    private final String tableName;

    public ApiKeySchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, String platform,
                                   String tableName) {
        this(dataSource, mode, resolveLocations(dataSource, platform), ApiKeyTableName.require(tableName));
    }

    private ApiKeySchemaInitializer(DataSource dataSource, DatabaseInitializationMode mode, List<String> locations,
                                    String tableName) {
        super(dataSource, settings(mode, locations));
        this.schemaLocations = locations;
        this.tableName = tableName;
    }

    private static DatabaseInitializationSettings settings(DatabaseInitializationMode mode, List<String> locations) {
        DatabaseInitializationSettings settings = new DatabaseInitializationSettings();
        settings.setSchemaLocations(locations);
        settings.setMode(mode);
        settings.setContinueOnError(false);
        return settings;
    }

    private static List<String> resolveLocations(DataSource dataSource, String platform) {
        PlatformPlaceholderDatabaseDriverResolver resolver = new PlatformPlaceholderDatabaseDriverResolver()
                .withDriverPlatform(DatabaseDriver.MARIADB, "mysql");
        return StringUtils.hasText(platform) ? resolver.resolveAll(platform, SCHEMA_LOCATION)
                : resolver.resolveAll(dataSource, SCHEMA_LOCATION);
    }

    /** The script with the configured table name, as it will run. */
    static String rewrite(String script, String tableName) {
        String stem = tableName.substring(tableName.indexOf('.') + 1);
        String renamed = NAME_PART.matcher(script).replaceAll(Matcher.quoteReplacement(stem));
        return TABLE_REFERENCE.matcher(renamed).replaceAll(Matcher.quoteReplacement(tableName));
    }

    /**
     * Runs the script, again if it failed: PostgreSQL's {@code CREATE ... IF NOT EXISTS} fails with a unique
     * violation in its catalog when another instance creates the same table or index at the same moment, and the
     * script is idempotent, so a second run finds what the other instance created.
     */
    @Override
    public boolean initializeDatabase() {
        for (int attempt = 1; ; attempt++) {
            try {
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
