package io.github.apikey.cli;

import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.spring.autoconfigure.InvalidPepperException;
import io.github.apikey.spring.jpa.ApiKeyTableName;
import io.github.apikey.spring.jpa.OutdatedApiKeySchemaException;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * {@code java -jar api-key-cli.jar}: manages the keys of an application's key table through the starter's own JPA
 * store, schema checks and hasher, run in a small Spring context of their own (no web server). Secrets never come
 * from the command line, where {@code ps} shows them: the pepper and the database password are read from the
 * environment or from files, a key to verify from standard input or an environment variable.
 */
@Command(name = "api-key", mixinStandardHelpOptions = true, versionProvider = ApiKeyCli.Version.class,
        sortOptions = false, usageHelpAutoWidth = true,
        description = {"Manages the API keys of an application's key table through the api-key starter's store and "
                + "hasher.", "",
                "Secrets: the pepper comes from API_KEY_PEPPER (or --pepper-file), the database password from "
                        + "API_KEY_DB_PASSWORD (or --password-file), never from an argument."},
        subcommands = {KeyCommands.Create.class, KeyCommands.ListKeys.class, KeyCommands.Get.class,
                KeyCommands.Search.class, KeyCommands.Count.class, KeyCommands.Update.class,
                KeyCommands.Activate.class, KeyCommands.Deactivate.class, KeyCommands.Rotate.class,
                KeyCommands.Delete.class, KeyCommands.Verify.class, KeyCommands.Import.class,
                KeyCommands.Export.class, CommandLine.HelpCommand.class})
public final class ApiKeyCli implements Runnable {

    static final String PEPPER_VARIABLE = "API_KEY_PEPPER";
    static final String PASSWORD_VARIABLE = "API_KEY_DB_PASSWORD";

    private static final Pattern PASSWORD_IN_URL =
            Pattern.compile("(?i)([?&;:]password\\s*=)|(//[^/?#@]*:[^/?#@]*@)");

    @Spec
    CommandSpec spec;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "JDBC_URL",
            defaultValue = "${env:API_KEY_DB_URL}",
            description = "JDBC URL of the application's database (env API_KEY_DB_URL); H2, PostgreSQL and "
                    + "MariaDB/MySQL drivers are included")
    String url;

    @Option(names = "--user", scope = ScopeType.INHERIT, defaultValue = "${env:API_KEY_DB_USER}",
            description = "database user (env API_KEY_DB_USER)")
    String user;

    @Option(names = "--password-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "file holding the database password (otherwise env API_KEY_DB_PASSWORD)")
    Path passwordFile;

    @Option(names = "--pepper-file", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "file holding the application's pepper (otherwise env API_KEY_PEPPER)")
    Path pepperFile;

    @Option(names = "--table", scope = ScopeType.INHERIT, defaultValue = "${env:API_KEY_JDBC_TABLE_NAME:-api_keys}",
            description = "key table, optionally schema-qualified (env API_KEY_JDBC_TABLE_NAME; default: "
                    + "${DEFAULT-VALUE})")
    String table;

    @Option(names = "--prefix", scope = ScopeType.INHERIT, defaultValue = "${env:API_KEY_PREFIX:-ak_v1}",
            description = "key prefix (env API_KEY_PREFIX; default: ${DEFAULT-VALUE})")
    String prefix;

    @Option(names = "--separator", scope = ScopeType.INHERIT, defaultValue = "${env:API_KEY_SEPARATOR:--}",
            description = "key separator (env API_KEY_SEPARATOR; default: ${DEFAULT-VALUE})")
    String separator;

    @Option(names = "--hasher", scope = ScopeType.INHERIT, defaultValue = "${env:API_KEY_HASHER_TYPE:-argon2}",
            description = "argon2, bcrypt or hmac-sha256, as the application's api-key.hasher.type (env "
                    + "API_KEY_HASHER_TYPE; default: ${DEFAULT-VALUE})")
    String hasher;

    @Option(names = {"-P", "--property"}, scope = ScopeType.INHERIT, paramLabel = "NAME=VALUE",
            description = "another api-key.* property of the application, e.g. "
                    + "-P api-key.hasher.argon2.memory-kib=19456 (not the pepper)")
    Map<String, String> properties = new LinkedHashMap<>();

    @Option(names = "--init-schema", scope = ScopeType.INHERIT,
            description = "create the key table if missing and upgrade an older one, as "
                    + "api-key.jdbc.initialize-schema=always does; without it the table must exist and be current")
    boolean initSchema;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, defaultValue = "table",
            description = "table or json (json has the management API's field names; default: ${DEFAULT-VALUE})")
    Output.Format output;

    @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
            description = "log at INFO on standard error, and print stack traces of failures")
    boolean verbose;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command and answers its exit code; see {@link ExitCode}. */
    public static int run(String... args) {
        // Spring Boot would reconfigure logging for console output on standard output; logback.xml keeps it on
        // standard error, where it cannot mix with results.
        System.setProperty("org.springframework.boot.logging.LoggingSystem", "none");
        // Spring Boot warms up Jackson, validation and more on a thread of its own, which pays in a long-lived
        // application; a command that ends in seconds only shares its two cores with it (about 1 s of CPU).
        System.setProperty("spring.backgroundpreinitializer.ignore", "true");
        CommandLine commandLine = new CommandLine(new ApiKeyCli());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler(ApiKeyCli::handle);
        Map<String, String> exitCodes = new LinkedHashMap<>();
        for (String entry : ExitCode.HELP) {
            int colon = entry.indexOf(':');
            exitCodes.put(String.format("%3s", entry.substring(0, colon)), entry.substring(colon + 1));
        }
        applyExitCodeHelp(commandLine, exitCodes);
        if (passwordInUrlArgument(args)) {
            // Refused before anything runs, and without repeating the URL, which the message would carry further.
            commandLine.getErr().println("error: --url holds a password, which every user of this machine can read "
                    + "in the process list: give the URL without it and the password in API_KEY_DB_PASSWORD or "
                    + "--password-file (or the whole URL in API_KEY_DB_URL)");
            commandLine.getErr().flush();
            return ExitCode.USAGE;
        }
        return commandLine.execute(args);
    }

    /**
     * Whether a {@code --url} argument carries a password: a {@code password=} parameter (PostgreSQL, MariaDB,
     * H2's {@code ;PASSWORD=}) or credentials before the host ({@code jdbc:mariadb://user:secret@host}).
     */
    static boolean passwordInUrlArgument(String... args) {
        for (int i = 0; i < args.length; i++) {
            String url = null;
            if (args[i].equals("--url") && i + 1 < args.length) {
                url = args[i + 1];
            } else if (args[i].startsWith("--url=")) {
                url = args[i].substring("--url=".length());
            }
            if (url != null && PASSWORD_IN_URL.matcher(url).find()) {
                return true;
            }
        }
        return false;
    }

    private static void applyExitCodeHelp(CommandLine commandLine, Map<String, String> exitCodes) {
        commandLine.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n").exitCodeList(exitCodes);
        commandLine.getSubcommands().values().forEach(sub -> applyExitCodeHelp(sub, exitCodes));
    }

    private static int handle(Exception failure, CommandLine commandLine, CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        ApiKeyCli root = commandLine.getCommandSpec().root().commandLine().getCommand();
        Failure reported = Failure.of(failure);
        err.println("error: " + reported.message());
        if (root.verbose) {
            failure.printStackTrace(err);
        }
        err.flush();
        return reported.exitCode();
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "Missing command: name one of "
                + String.join(", ", spec.subcommands().keySet().stream().filter(name -> !name.equals("help"))
                .toList()));
    }

    /** Starts the starter's store, schema check and service on the configured database. */
    KeyTable open() {
        if (verbose) {
            System.setProperty("apikey.cli.log-level", "INFO");
        }
        if (url == null || url.isBlank()) {
            throw new CliFailure(ExitCode.CONFIGURATION, "No database: set API_KEY_DB_URL or --url to the JDBC URL "
                    + "of the application's database");
        }
        String pepper = secret(pepperFile, PEPPER_VARIABLE, "pepper");
        if (pepper == null) {
            throw new CliFailure(ExitCode.CONFIGURATION, "No pepper: set API_KEY_PEPPER (or --pepper-file) to the "
                    + "application's pepper (api-key.pepper); keys hashed with another pepper do not verify");
        }
        String password = secret(passwordFile, PASSWORD_VARIABLE, "database password");
        String tableName;
        try {
            tableName = ApiKeyTableName.require(table);
        } catch (IllegalArgumentException wrong) {
            throw new CliFailure(ExitCode.CONFIGURATION, "--table " + wrong.getMessage()
                    .replace("api-key.jdbc.table-name ", ""));
        }
        preflight(password, tableName);

        Map<String, Object> settings = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!lower.startsWith("api-key.") || lower.startsWith("api-key.pepper")
                    || lower.startsWith("api-key.bootstrap")) {
                throw new CliFailure(ExitCode.USAGE, "-P takes api-key.* properties other than api-key.pepper "
                        + "and api-key.bootstrap.*, not " + name);
            }
            settings.put(name, value);
        });
        settings.put("spring.config.location", "optional:classpath:/api-key-cli-has-no-configuration/");
        settings.put("spring.datasource.url", url);
        if (user != null) {
            settings.put("spring.datasource.username", user);
        }
        if (password != null) {
            settings.put("spring.datasource.password", password);
        }
        settings.put("spring.datasource.hikari.maximum-pool-size", "2");
        settings.put("spring.datasource.hikari.connection-timeout", "10000");
        settings.put("spring.jpa.hibernate.ddl-auto", "none");
        settings.put("spring.jpa.open-in-view", "false");
        settings.put("api-key.pepper", pepper);
        settings.put("api-key.prefix", prefix);
        settings.put("api-key.separator", separator);
        settings.put("api-key.hasher.type", hasher);
        settings.put("api-key.jdbc.table-name", tableName);
        settings.put("api-key.jdbc.initialize-schema", initSchema ? "always" : "never");
        // One command, one process: a cache would never be hit, and no bootstrap key may appear behind the user's back.
        settings.put("api-key.cache.enabled", "false");
        settings.put("api-key.bootstrap.admin-key", "");
        settings.put("api-key.bootstrap.generate-admin-key", "false");
        // Purging the audit trail is the application's business, on its own retention: never a command's.
        settings.put("api-key.audit.purge-cron", "-");

        // Only these settings: not the process environment (whose API_KEY_* variables may be keys to import, not
        // settings), not ./application.properties of whatever directory the command runs in.
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("api-key-cli", settings));

        SpringApplication application = new SpringApplication(CliApplication.class);
        application.setEnvironment(environment);
        application.setBannerMode(Banner.Mode.OFF);
        application.setLogStartupInfo(false);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(false);
        application.setAddCommandLineProperties(false);
        return new KeyTable(application.run());
    }

    /**
     * Connects once before Spring starts, so that an unreachable database or a missing table is reported as such,
     * rather than as whichever start-up step happened to fail on it.
     */
    private void preflight(String password, String tableName) {
        DriverManager.setLoginTimeout(10);
        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            if (initSchema) {
                return;
            }
            try (Statement statement = connection.createStatement()) {
                statement.executeQuery("SELECT * FROM " + tableName + " WHERE 1 = 0").close();
            } catch (SQLException noTable) {
                throw new CliFailure(ExitCode.SCHEMA, "The key table '" + tableName + "' cannot be read in this "
                        + "database (" + firstLine(noTable.getMessage()) + "). Create it with --init-schema, or with "
                        + "the starter's schema script for your database (see the README, 'The table')");
            }
        } catch (SQLException unreachable) {
            if ("08001".equals(unreachable.getSQLState()) && unreachable.getMessage() != null
                    && unreachable.getMessage().startsWith("No suitable driver")) {
                throw new CliFailure(ExitCode.CONFIGURATION, "No JDBC driver of this command line takes the URL "
                        + "given (H2, PostgreSQL and MariaDB/MySQL URLs are supported)");
            }
            throw new CliFailure(ExitCode.DATABASE_UNAVAILABLE, "Cannot connect to the database: "
                    + firstLine(unreachable.getMessage()));
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }

    private static String secret(Path file, String variable, String what) {
        if (file != null) {
            try {
                String value = Files.readString(file, StandardCharsets.UTF_8).strip();
                if (value.isEmpty()) {
                    throw new CliFailure(ExitCode.CONFIGURATION, "The " + what + " file " + file + " is empty");
                }
                return value;
            } catch (IOException unreadable) {
                throw new CliFailure(ExitCode.CONFIGURATION, "Cannot read the " + what + " file " + file + ": "
                        + unreadable.getClass().getSimpleName());
            }
        }
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? null : value.strip();
    }

    Output output() {
        return new Output(output, spec.commandLine().getOut());
    }

    /** What a failure is reported as. */
    record Failure(int exitCode, String message) {

        static Failure of(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof CliFailure cli) {
                    return new Failure(cli.exitCode(), cli.getMessage());
                }
                if (cause instanceof ApiKeyException apiKey) {
                    return new Failure(ExitCode.of(apiKey.getCode()), apiKey.getMessage());
                }
                if (cause instanceof InvalidPepperException pepper) {
                    return new Failure(ExitCode.CONFIGURATION, pepper.getMessage().replace(
                            "set the property 'api-key.pepper' (environment variable API_KEY_PEPPER)",
                            "set API_KEY_PEPPER (or --pepper-file)"));
                }
                if (cause instanceof OutdatedApiKeySchemaException outdated) {
                    return new Failure(ExitCode.SCHEMA, outdated.getMessage().replace(
                            "set api-key.jdbc.initialize-schema=always to have it run at start-up",
                            "run this command once with --init-schema"));
                }
                if (cause instanceof BindException binding) {
                    return new Failure(ExitCode.CONFIGURATION, binding.getMessage()
                            + (binding.getCause() == null ? "" : ": " + rootMessage(binding.getCause())));
                }
                if (cause instanceof SQLException || cause instanceof java.net.ConnectException
                        || cause.getClass().getName().equals("org.hibernate.exception.JDBCConnectionException")
                        || cause instanceof org.springframework.transaction.CannotCreateTransactionException) {
                    return new Failure(ExitCode.DATABASE_UNAVAILABLE, "The database failed: " + rootMessage(cause));
                }
            }
            return new Failure(ExitCode.ERROR, failure.getClass().getSimpleName() + ": " + rootMessage(failure));
        }

        private static String rootMessage(Throwable failure) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return firstLine(root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage());
        }
    }

    static final class Version implements CommandLine.IVersionProvider {

        @Override
        public String[] getVersion() {
            String version = ApiKeyCli.class.getPackage().getImplementationVersion();
            return new String[] {"api-key-cli " + (version == null ? "(development build)" : version)};
        }
    }
}
