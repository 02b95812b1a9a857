package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.KeyMetadata;

import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A key's metadata as the JSON object text of the {@code metadata} column. Written by {@link KeyMetadata#toJson}
 * (compact, in the map's order, numbers as their shortest literal), so that the text the database's JSON functions
 * see for a top-level value is the text {@link KeyMetadata#scalarText} gives for it. Read with Jackson, which keeps
 * the key order and gives integers as {@code Integer}/{@code Long}/{@code BigInteger} and fractions as
 * {@code Double}, as the management API's own JSON parsing does.
 */
final class MetadataJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private MetadataJson() {
    }

    /** The column value: {@code null} for no metadata, so that rows without any look like keyshield's. */
    static String write(Map<String, ?> metadata) {
        return metadata == null || metadata.isEmpty() ? null : KeyMetadata.toJson(metadata);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> read(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        Object value;
        try {
            value = MAPPER.readValue(json, Object.class);
        } catch (JacksonException e) {
            // Jackson's message quotes the input, which is the application's data: give only the position.
            throw new IllegalArgumentException("Stored metadata is not a JSON object: unreadable at "
                    + e.getLocation(), null);
        }
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> object)) {
            throw new IllegalArgumentException("Stored metadata is not a JSON object");
        }
        return KeyMetadata.copyOf((Map<String, Object>) new LinkedHashMap<>(object));
    }
}
