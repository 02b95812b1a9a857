package io.github.apikey.cli;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.spring.security.ApiKeyPrincipal;
import io.github.apikey.spring.web.ApiKeyRequests;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * Writes results to standard output: as a table for people, or as JSON with the management API's shapes and field
 * names (a key's view is the starter's {@link ApiKeyPrincipal}, a created key {@link ApiKeyRequests.Created}, a
 * search {@link ApiKeyRequests.Page}, a count {@link ApiKeyRequests.Count}), so never a hash.
 */
final class Output {

    enum Format { TABLE, JSON }

    static final JsonMapper JSON = JsonMapper.builder()
            .disable(DateTimeFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .build();

    private static final List<String> COLUMNS = List.of("id", "keyId", "name", "isActive", "scopes", "ownerId",
            "expiresAt", "lastUsedAt");

    private final Format format;
    private final PrintWriter out;

    Output(Format format, PrintWriter out) {
        this.format = format;
        this.out = out;
    }

    boolean json() {
        return format == Format.JSON;
    }

    void key(ApiKey key) {
        ApiKeyPrincipal view = ApiKeyPrincipal.of(key);
        if (json()) {
            writeJson(view);
        } else {
            fields(view);
        }
    }

    void keys(List<ApiKey> keys) {
        List<ApiKeyPrincipal> views = keys.stream().map(ApiKeyPrincipal::of).toList();
        if (json()) {
            writeJson(views);
        } else {
            table(views);
        }
    }

    /**
     * A created or rotated key: its plaintext, which exists nowhere else, and its view. {@code quiet}: the plaintext
     * alone, for {@code KEY=$(...)} in scripts.
     */
    void created(CreatedApiKey created, boolean quiet, String done) {
        if (quiet) {
            out.println(created.plaintext());
        } else if (json()) {
            writeJson(new ApiKeyRequests.Created(created.plaintext(), ApiKeyPrincipal.of(created.apiKey())));
        } else {
            fields(ApiKeyPrincipal.of(created.apiKey()));
            out.println();
            out.println(done + "; the key is shown this once, store it now:");
            out.println(created.plaintext());
        }
        out.flush();
    }

    void page(List<ApiKey> keys, long total, int limit, int offset) {
        List<ApiKeyPrincipal> views = keys.stream().map(ApiKeyPrincipal::of).toList();
        if (json()) {
            writeJson(new ApiKeyRequests.Page(views, total, limit, offset));
        } else {
            table(views);
            out.println(views.isEmpty() ? "No key matches (" + total + " in all)." : "Keys " + (offset + 1) + " to "
                    + (offset + views.size()) + " of " + total + ".");
            out.flush();
        }
    }

    void count(long total) {
        if (json()) {
            writeJson(new ApiKeyRequests.Count(total));
        } else {
            out.println(total);
            out.flush();
        }
    }

    /** A line for people; JSON output has none, so that it stays one document. */
    void message(String line) {
        if (!json()) {
            out.println(line);
            out.flush();
        }
    }

    void writeJson(Object value) {
        out.println(JSON.writeValueAsString(value));
        out.flush();
    }

    private static Map<String, Object> asMap(ApiKeyPrincipal view) {
        return JSON.convertValue(view, new TypeReference<LinkedHashMap<String, Object>>() { });
    }

    private void fields(ApiKeyPrincipal view) {
        Map<String, Object> fields = asMap(view);
        int width = fields.keySet().stream().mapToInt(String::length).max().orElse(0);
        fields.forEach((name, value) -> out.println(String.format("%-" + width + "s  %s", name, text(value))));
        out.flush();
    }

    private void table(List<ApiKeyPrincipal> views) {
        List<List<String>> rows = new ArrayList<>();
        for (ApiKeyPrincipal view : views) {
            Map<String, Object> fields = asMap(view);
            rows.add(COLUMNS.stream().map(column -> text(fields.get(column))).toList());
        }
        int[] widths = new int[COLUMNS.size()];
        for (int i = 0; i < widths.length; i++) {
            widths[i] = COLUMNS.get(i).length();
            for (List<String> row : rows) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        printRow(COLUMNS, widths);
        rows.forEach(row -> printRow(row, widths));
        out.flush();
    }

    private void printRow(List<String> cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            line.append(i == cells.size() - 1 ? cells.get(i) : String.format("%-" + widths[i] + "s  ", cells.get(i)));
        }
        out.println(line.toString().stripTrailing());
    }

    private static String text(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Collection<?> list) {
            return list.isEmpty() ? "-" : list.stream().map(item -> item instanceof Map<?, ?>
                    ? JSON.writeValueAsString(item) : String.valueOf(item)).reduce((a, b) -> a + "," + b).orElse("-");
        }
        if (value instanceof Map<?, ?> map) {
            return map.isEmpty() ? "-" : JSON.writeValueAsString(map);
        }
        return String.valueOf(value);
    }
}
