package io.github.apikey.cli;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged jar on an H2 file database, each command a process of its own: the README's "Command line" session
 * exactly as written, then the exit codes of the failures scripts branch on, and no secret on standard error.
 */
class CliH2IT {

    static final String PEPPER = "cli-it-pepper-0123456789abcdef-0123456789";
    static final Pattern ANY_KEY = Pattern.compile("ak_v1-[0-9a-f]{16}-[A-Za-z0-9]{64}");

    @TempDir
    Path directory;

    private String url() {
        return "jdbc:h2:file:" + directory.resolve("keys").toAbsolutePath();
    }

    @Test
    void theReadmeSessionRunsAsWrittenAndItsKeysWorkInTheLibrary() throws Exception {
        String session = readmeSession();
        Cli cli = new Cli(directory).env("API_KEY_DB_URL", url()).env("API_KEY_PEPPER", PEPPER);

        Cli.Result result = cli.bash(session, Cli.REPOSITORY_ROOT);
        System.out.println("README session: " + result.took().toMillis() + " ms");

        assertThat(result.exitCode()).as(result.toString()).isZero();
        String out = result.stdout();
        assertThat(out).as("list").containsPattern("(?m)^id +keyId +name +isActive +scopes +ownerId")
                .containsPattern("(?m)^[0-9a-f-]{36}  [0-9a-f]{16}  ci-deploy  true +deploy +team-7 ");
        assertThat(out).as("get --output json, the management API's view")
                .containsPattern("\\{\"id\":\"[0-9a-f-]{36}\",\"keyId\":\"[0-9a-f]{16}\",\"name\":\"ci-deploy\","
                        + "\"description\":null,\"isActive\":true,\"scopes\":\\[\"deploy\"],\"createdAt\":\"[^\"]+Z\","
                        + "\"expiresAt\":\"[^\"]+Z\",\"lastUsedAt\":null,\"ownerId\":\"team-7\",\"metadata\":\\{},");
        assertThat(out).as("search").contains("Keys 1 to 1 of 1.");
        assertThat(out).as("count").containsPattern("(?m)^1$");
        assertThat(out).as("update").containsPattern("(?m)^description +deploys from CI$")
                .containsPattern("(?m)^metadata +\\{\"tier\":\"gold\"}$")
                .containsPattern("(?m)^rateLimits +\\{\"name\":\"requests\",\"limit\":100,\"duration\":\"PT1M\"}$");
        assertThat(out).as("verify, valid").contains("The key is valid.");
        assertThat(out).as("verify of a deactivated key").contains("refused with exit code 11");
        assertThat(out).as("verify --output json of the rotated key")
                .containsPattern("\"rotatedAt\":\"[^\"]+Z\",\"previousSecretExpiresAt\":\"[^\"]+Z\"}")
                .containsPattern("\"lastUsedAt\":\"[^\"]+Z\"");
        assertThat(out).as("import").containsPattern("(?m)^[0-9a-f-]{36}  0123456789abcdef  LEGACY  true +legacy ")
                .contains("Imported 1 key.");
        assertThat(out).as("export").containsPattern("(?m)^\\[\\{\"id\":.*\"name\":\"LEGACY\".*\\]$")
                .containsPattern("(?m)^\\[\\{\"id\":.*\"name\":\"ci-deploy\".*\\]$");
        assertThat(out).as("delete").containsPattern("(?m)^Deleted key 'ci-deploy' \\([0-9a-f-]{36}\\)$");
        assertNoSecrets(result, List.of());
        assertThat(out).as("no key in the output: every plaintext went into a variable")
                .doesNotContainPattern(ANY_KEY.pattern());

        // Every change of the session is in the audit trail, by the command line's user; the chain is whole.
        try (Connection connection = DriverManager.getConnection(url());
             Statement statement = connection.createStatement();
             ResultSet actions = statement.executeQuery("SELECT action, actor_type, actor FROM api_key_events "
                     + "WHERE outcome = 'success' ORDER BY seq")) {
            List<String> recorded = new java.util.ArrayList<>();
            while (actions.next()) {
                assertThat(actions.getString("actor_type")).isEqualTo("user");
                assertThat(actions.getString("actor")).isEqualTo("cli:" + System.getProperty("user.name"));
                recorded.add(actions.getString("action"));
            }
            assertThat(recorded).contains("create", "update", "deactivate", "rotate", "import", "delete");
        }

        // The key imported from the README's variable verifies in an application of the starter on the same table;
        // a key that application creates verifies on the command line.
        String legacy = variable(session, "API_KEY_LEGACY");
        String fromLibrary;
        try (ConfigurableApplicationContext application = Library.start(url(), null, PEPPER)) {
            ApiKeyService service = application.getBean(ApiKeyService.class);
            assertThat(service.verify(legacy, List.of("legacy")).getName()).isEqualTo("LEGACY");
            assertThat(service.find(io.github.apikey.core.store.ApiKeyFilter.builder().nameExact("ci-deploy")
                    .build())).as("deleted by the session").isEmpty();
            fromLibrary = service.create(NewApiKey.named("from-library").withScopes(List.of("reports"))).plaintext();
        }
        Cli.Result verified = cli.env("KEY_FROM_LIBRARY", fromLibrary)
                .run("verify", "--key-env", "KEY_FROM_LIBRARY", "--scope", "reports", "-o", "json");
        assertThat(verified.exitCode()).as(verified.toString()).isZero();
        assertThat(verified.stdout()).contains("\"name\":\"from-library\"").doesNotContain(fromLibrary);
        assertNoSecrets(verified, List.of(fromLibrary, legacy));
    }

    @Test
    void failuresHaveTheirExitCodesAndClearMessagesWithoutSecrets() throws Exception {
        Cli cli = new Cli(directory).env("API_KEY_DB_URL", url()).env("API_KEY_PEPPER", PEPPER);
        List<Cli.Result> results = new ArrayList<>();

        Cli.Result help = cli.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.stdout()).contains("Exit codes:").containsPattern("(?m)^\\s+8\\s+key table missing")
                .containsPattern("(?m)^\\s+16\\s+verify: key over a rate limit$");
        assertThat(help.stdout()).as("every command").contains("create", "list", "get", "search", "count", "update",
                "activate", "deactivate", "rotate", "delete", "verify", "import", "export");

        results.add(expect(cli.run("list", "--bogus"), ExitCode.USAGE, "Unknown option: '--bogus'"));
        results.add(expect(cli.run("rotate"), ExitCode.USAGE, "Missing required parameter: 'KEY'"));
        results.add(expect(new Cli(directory).env("API_KEY_DB_URL", url()).run("list"), ExitCode.CONFIGURATION,
                "No pepper: set API_KEY_PEPPER (or --pepper-file)"));
        results.add(expect(new Cli(directory).env("API_KEY_PEPPER", PEPPER).run("list"), ExitCode.CONFIGURATION,
                "No database: set API_KEY_DB_URL"));
        results.add(expect(cli.run("list", "--url", "jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=2"),
                ExitCode.DATABASE_UNAVAILABLE, "Cannot connect to the database"));
        results.add(expect(cli.run("list"), ExitCode.SCHEMA, "The key table 'api_keys' cannot be read"));

        // A key table of schema version 1: the starter's own check refuses it, naming the upgrade script.
        try (Connection connection = DriverManager.getConnection(url());
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE old_keys (id VARCHAR(36) PRIMARY KEY, name VARCHAR(128), description "
                    + "VARCHAR(1024), is_active BOOLEAN, expires_at TIMESTAMP, created_at TIMESTAMP, last_used_at "
                    + "TIMESTAMP, key_id VARCHAR(16), key_hash VARCHAR(128), key_secret_first VARCHAR(4), "
                    + "key_secret_last VARCHAR(4), scopes VARCHAR(4096))");
        }
        results.add(expect(cli.run("--table", "old_keys", "count"), ExitCode.SCHEMA,
                "lacks owner_id, metadata"));

        results.add(expect(cli.run("create", "--init-schema", "--name", "bad", "--scope", "has space"),
                ExitCode.INVALID_INPUT, "scope"));
        Cli.Result created = cli.run("create", "--name", "expiring", "--scope", "read", "-q");
        assertThat(created.exitCode()).as(created.toString()).isZero();
        String key = created.stdout().strip();
        assertThat(key).matches(ANY_KEY);
        assertThat(created.stderr()).isEmpty();

        results.add(expect(cli.run("get", "0123456789abcdef"), ExitCode.NOT_FOUND, "No API key has the key id"));
        String wrongSecret = key.substring(0, key.length() - 4) + (key.endsWith("AAAA") ? "BBBB" : "AAAA");
        results.add(expect(cli.runWithInput(wrongSecret + "\n", "verify"), ExitCode.KEY_INVALID, "API key invalid"));
        try (Connection connection = DriverManager.getConnection(url());
             Statement statement = connection.createStatement()) {
            assertThat(statement.executeUpdate("UPDATE api_keys SET expires_at = TIMESTAMP WITH TIME ZONE "
                    + "'2020-01-01 00:00:00+00' WHERE name = 'expiring'")).isEqualTo(1);
        }
        results.add(expect(cli.runWithInput(key + "\n", "verify"), ExitCode.KEY_EXPIRED, "API key expired"));

        for (Cli.Result result : results) {
            assertNoSecrets(result, List.of(key, wrongSecret));
        }
    }

    private static Cli.Result expect(Cli.Result result, int exitCode, String message) {
        System.out.println("exit " + result.exitCode() + " in " + result.took().toMillis() + " ms");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
        assertThat(result.stderr()).as(result.toString()).contains(message);
        return result;
    }

    /** Neither the pepper nor any key on standard error; never the pepper or a hash on standard output. */
    static void assertNoSecrets(Cli.Result result, List<String> keys) {
        assertThat(result.stderr()).as(result.toString()).doesNotContain(PEPPER)
                .doesNotContainPattern(ANY_KEY.pattern()).doesNotContain("$argon2");
        assertThat(result.stdout()).as(result.toString()).doesNotContain(PEPPER).doesNotContain("$argon2")
                .doesNotContain("keyHash");
        for (String key : keys) {
            assertThat(result.stderr()).doesNotContain(key).doesNotContain(key.substring(key.lastIndexOf('-') + 1));
        }
    }

    static String variable(String script, String name) {
        Matcher matcher = Pattern.compile("(?m)^" + name + "=(\\S+)").matcher(script);
        assertThat(matcher.find()).as(name + " in the README session").isTrue();
        return matcher.group(1);
    }

    /** The bash block between the README's cli-session markers. */
    static String readmeSession() throws Exception {
        String readme = Files.readString(Cli.REPOSITORY_ROOT.resolve("README.md"));
        int start = readme.indexOf("<!-- cli-session:start -->");
        int end = readme.indexOf("<!-- cli-session:end -->");
        assertThat(start).as("the README's cli-session markers").isNotNegative();
        assertThat(end).isGreaterThan(start);
        List<String> lines = readme.substring(start, end).lines().toList();
        int open = lines.indexOf("```bash");
        int close = lines.lastIndexOf("```");
        assertThat(open).isNotNegative();
        assertThat(close).isGreaterThan(open);
        return String.join("\n", lines.subList(open + 1, close)) + "\n";
    }

    /** The README's exit code table, code to meaning. */
    static Map<String, String> readmeExitCodes() throws Exception {
        String readme = Files.readString(Cli.REPOSITORY_ROOT.resolve("README.md"));
        String section = readme.substring(readme.indexOf("## Command line"), readme.indexOf("## Security model"));
        Map<String, String> codes = new LinkedHashMap<>();
        Matcher row = Pattern.compile("(?m)^\\| (\\d+) \\| (.+) \\|$").matcher(section);
        while (row.find()) {
            codes.put(row.group(1), row.group(2));
        }
        return codes;
    }
}
