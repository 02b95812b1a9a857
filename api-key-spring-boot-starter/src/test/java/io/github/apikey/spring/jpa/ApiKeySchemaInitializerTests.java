package io.github.apikey.spring.jpa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeySchemaInitializerTests {

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mysql"})
    void everyPlatformScriptIsIdempotentAndNamesTheTableApiKeys(String platform) throws IOException {
        String script = script(platform);

        assertThat(script).contains("CREATE TABLE IF NOT EXISTS api_keys (");
        assertThat(script).doesNotContainPattern("CREATE (UNIQUE )?INDEX (?!IF NOT EXISTS)");
        for (String column : new String[] {"id", "name", "description", "is_active", "expires_at", "created_at",
                "last_used_at", "key_id", "key_hash", "key_secret_first", "key_secret_last", "scopes"}) {
            assertThat(script).containsPattern("\\n    " + column + " +[A-Z]");
        }
    }

    /** Run at every start-up, they must create the version 2 columns and the owner index on a new table. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mysql"})
    void everyPlatformScriptCreatesTheVersion2ColumnsAndTheOwnerIndex(String platform) throws IOException {
        String script = script(platform);

        for (String column : ApiKeySchemaUpgrade.VERSION_2_COLUMNS) {
            assertThat(script).containsPattern("\\n    " + column + " +[A-Z]");
        }
        assertThat(script).containsPattern("(INDEX IF NOT EXISTS|INDEX) ix_api_keys_owner_id (ON api_keys )?\\(owner_id\\)");
    }

    /** Safe to run twice, or by two instances: every column and the index only if not there yet. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mysql"})
    void everyUpgradeScriptAddsEachVersion2ColumnOnlyIfMissing(String platform) throws IOException {
        String script = new ClassPathResource("io/github/apikey/spring/jpa/upgrade-1-to-2-" + platform + ".sql")
                .getContentAsString(StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");

        for (String column : ApiKeySchemaUpgrade.VERSION_2_COLUMNS) {
            assertThat(script).containsPattern("ADD COLUMN IF NOT EXISTS " + column + " +[A-Z]");
        }
        assertThat(script).doesNotContainPattern("\\bADD (?!COLUMN IF NOT EXISTS |INDEX IF NOT EXISTS )")
                .containsPattern("INDEX IF NOT EXISTS ix_api_keys_owner_id");
    }

    /**
     * The management search's indexes, in the schema script (new tables) and the upgrade script (tables of release 1)
     * of every platform, each only if not there yet.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mysql"})
    void everyPlatformCreatesTheSearchIndexesOnNewAndUpgradedTables(String platform) throws IOException {
        String upgrade = new ClassPathResource("io/github/apikey/spring/jpa/upgrade-1-to-2-" + platform + ".sql")
                .getContentAsString(StandardCharsets.UTF_8).replaceAll("(?m)^--.*$", "");
        for (String index : new String[] {"created_at_desc", "is_active", "expires_at", "last_used_at", "name"}) {
            // MariaDB and MySQL go without the last-used index: schema-mysql.sql says why.
            if (platform.equals("mysql") && index.equals("last_used_at")) {
                assertThat(script(platform) + upgrade).doesNotContain("ix_api_keys_last_used_at");
                continue;
            }
            // PostgreSQL's indexes on the two times also hold what a listing bounded on them sorts by.
            if (platform.equals("postgresql") && (index.equals("expires_at") || index.equals("last_used_at"))) {
                index += "_covering";
                assertThat(script(platform)).doesNotContain("DROP INDEX");
            }
            assertThat(script(platform)).containsPattern("(INDEX IF NOT EXISTS|INDEX) ix_api_keys_" + index + " ");
            assertThat(upgrade).containsPattern("INDEX IF NOT EXISTS ix_api_keys_" + index + " ");
        }
    }

    @Test
    void rewriteRenamesTheTableAndTheNamesDerivedFromIt() throws IOException {
        String script = ApiKeySchemaInitializer.rewrite(script("postgresql"), "credentials");

        assertThat(script).contains("CREATE TABLE IF NOT EXISTS credentials (")
                .contains("CONSTRAINT pk_credentials PRIMARY KEY")
                .contains("CONSTRAINT uq_credentials_key_id UNIQUE")
                .contains("ix_credentials_created_at ON credentials (created_at)")
                .doesNotContain("api_keys");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgresql", "mysql"})
    void rewriteNamesTheEventTablesOnceWhenTheTableNameEndsInApiKeys(String platform) throws IOException {
        String script = ApiKeySchemaInitializer.rewrite(script(platform), "tenant_api_keys");

        assertThat(ApiKeyTableName.eventsTableFor("tenant_api_keys")).isEqualTo("tenant_api_keys_events");
        assertThat(script).contains("CREATE TABLE IF NOT EXISTS tenant_api_keys (")
                .contains("CREATE TABLE IF NOT EXISTS tenant_api_keys_events (")
                .contains("CREATE TABLE IF NOT EXISTS tenant_api_keys_events_head (")
                .doesNotContain("tenant_tenant").doesNotContain("api_key_events ").doesNotContain("\u0001");
    }

    @Test
    void rewriteKeepsTheSchemaOnTableReferencesOnly() throws IOException {
        String script = ApiKeySchemaInitializer.rewrite(script("h2"), "auth.credentials");

        assertThat(script).contains("CREATE TABLE IF NOT EXISTS auth.credentials (")
                .contains("CONSTRAINT pk_credentials PRIMARY KEY")
                .contains("ON auth.credentials (created_at)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1keys", "keys;drop", "a.b.c", "keys table", "\"keys\""})
    void refusesTableNamesThatAreNotPlainIdentifiers(String tableName) {
        assertThatThrownBy(() -> ApiKeyTableName.require(tableName))
                .hasMessageContaining("api-key.jdbc.table-name");
    }

    private static String script(String platform) throws IOException {
        return new ClassPathResource("io/github/apikey/spring/jpa/schema-" + platform + ".sql")
                .getContentAsString(StandardCharsets.UTF_8);
    }
}
