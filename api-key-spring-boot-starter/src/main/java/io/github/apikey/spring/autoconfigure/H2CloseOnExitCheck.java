package io.github.apikey.spring.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.BeanWrapper;
import org.springframework.beans.PropertyAccessorFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * Warns once at start-up about an H2 database that closes itself when the JVM exits. H2 does so by default
 * ({@code DB_CLOSE_ON_EXIT=TRUE}) from a shutdown hook of its own, which runs alongside Spring's: the database is
 * gone before the application has written the last-used times of keys (and anything else it writes on the way
 * out), and the stop logs "Database is already closed" errors. In-memory databases are left alone: their data ends
 * with the JVM anyway.
 */
final class H2CloseOnExitCheck implements SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(H2CloseOnExitCheck.class);

    private static final String[] URL_PROPERTIES = {"jdbcUrl", "url", "URL"};

    private final ObjectProvider<DataSource> dataSources;
    private final Environment environment;

    H2CloseOnExitCheck(ObjectProvider<DataSource> dataSources, Environment environment) {
        this.dataSources = Objects.requireNonNull(dataSources, "dataSources");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    @Override
    public void afterSingletonsInstantiated() {
        Set<String> urls = new LinkedHashSet<>();
        dataSources.orderedStream().map(H2CloseOnExitCheck::url).filter(Objects::nonNull).forEach(urls::add);
        String configured = environment.getProperty("spring.datasource.url");
        if (urls.isEmpty() && configured != null) {
            urls.add(configured);
        }
        urls.stream().filter(H2CloseOnExitCheck::closesOnExit).findFirst().ifPresent(url -> log.warn(
                "The H2 database {} closes itself when the JVM exits, before this application has written the "
                        + "last-used times of API keys at shutdown, which are then lost (with 'Database is already "
                        + "closed' errors). Add ;DB_CLOSE_ON_EXIT=FALSE to its URL (spring.datasource.url): the "
                        + "database is then closed with the application's DataSource.", withoutSettings(url)));
    }

    /** Whether {@code url} opens an H2 database that is not in memory and keeps H2's close-on-exit default. */
    static boolean closesOnExit(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("jdbc:h2:") || lower.startsWith("jdbc:h2:mem:")) {
            return false;
        }
        String[] parts = lower.split(";");
        for (int i = 1; i < parts.length; i++) {
            if (parts[i].replace(" ", "").equals("db_close_on_exit=false")) {
                return false;
            }
        }
        return true;
    }

    /** The URL up to its settings, which may hold a password. */
    static String withoutSettings(String url) {
        int settings = url.indexOf(';');
        return settings < 0 ? url : url.substring(0, settings);
    }

    private static String url(DataSource dataSource) {
        DataSource target = dataSource;
        while (target instanceof DelegatingDataSource delegating && delegating.getTargetDataSource() != null) {
            target = delegating.getTargetDataSource();
        }
        BeanWrapper properties = PropertyAccessorFactory.forBeanPropertyAccess(target);
        for (String property : URL_PROPERTIES) {
            try {
                if (properties.isReadableProperty(property)
                        && properties.getPropertyValue(property) instanceof String url) {
                    return url;
                }
            } catch (RuntimeException notReadable) {
                log.trace("Could not read {} of {}", property, target.getClass().getName(), notReadable);
            }
        }
        return null;
    }
}
