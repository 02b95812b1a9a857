package io.github.apikey.spring.jpa;

import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLWarning;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;

/** The MariaDB/MySQL script runs on a real MariaDB without a single warning. */
class MariaDbSchemaScriptTests {

    @Test
    void theScriptCreatesTheTableWithoutWarnings() throws Exception {
        String script = new ClassPathResource("io/github/apikey/spring/jpa/schema-mysql.sql")
                .getContentAsString(StandardCharsets.UTF_8);
        List<String> warnings = new ArrayList<>();
        try (TestDatabase database = TestDatabase.create(TestDatabase.Kind.MARIADB);
             Connection connection = database.connect(); Statement statement = connection.createStatement()) {
            for (String sql : script.replaceAll("(?m)^--.*$", "").split(";")) {
                if (sql.isBlank()) {
                    continue;
                }
                statement.execute(sql);
                for (SQLWarning warning = statement.getWarnings(); warning != null;
                     warning = warning.getNextWarning()) {
                    warnings.add(warning.getMessage());
                }
                statement.clearWarnings();
            }
        }
        assertThat(warnings).isEmpty();
    }
}
