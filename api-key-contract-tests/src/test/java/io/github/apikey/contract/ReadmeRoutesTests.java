package io.github.apikey.contract;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's route table of the management API and the document list the same routes. Rows read like
 * {@code | `POST /api-keys/{id}/activate`, `/deactivate` | ...}: a bare path after the first names a sibling of the
 * first path's last segment. The document is the committed snapshot, which {@link OpenApiSnapshotTests} keeps equal
 * to the live one.
 */
class ReadmeRoutesTests {

    private static final Pattern ROW = Pattern.compile("^\\| `(GET|POST|PUT|PATCH|DELETE) ([^`?\\s]+)[^`]*`(.*?)\\|",
            Pattern.MULTILINE);
    private static final Pattern SIBLING = Pattern.compile("`(/[^`?\\s]+)[^`]*`");

    @Test
    void theReadmeTableAndTheDocumentListTheSameManagementRoutes() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("readme")));
        int section = readme.indexOf("### The management API");
        assertThat(section).as("the README's management API section").isNotNegative();
        String table = readme.substring(section, readme.indexOf("\n### ", section + 1));

        Set<String> documented = new TreeSet<>();
        Matcher row = ROW.matcher(table);
        while (row.find()) {
            String method = row.group(1);
            String path = row.group(2);
            documented.add(method + " " + path);
            Matcher sibling = SIBLING.matcher(row.group(3));
            while (sibling.find()) {
                documented.add(method + " " + path.substring(0, path.lastIndexOf('/')) + sibling.group(1));
            }
        }

        JsonNode document = OpenApiSnapshotTests.JSON.readTree(
                Files.readString(Path.of(System.getProperty("openapi.snapshot"))));
        Set<String> described = new TreeSet<>();
        for (var path : document.get("paths").properties()) {
            if (path.getKey().startsWith("/api-keys")) {
                for (var operation : path.getValue().properties()) {
                    described.add(operation.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey());
                }
            }
        }
        assertThat(described).as("management routes in the document").hasSize(14);
        assertThat(documented).as("routes in the README's table").isEqualTo(described);
    }
}
