package io.github.apikey.core.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Helpers for a key's metadata: a JSON object whose values are strings, numbers, booleans, {@code null}, lists and
 * nested objects, as a JSON parser produces them. The core has no JSON library, so it checks and writes this
 * shape itself, to measure a document's size and to compare values the way stores do.
 */
public final class KeyMetadata {

    private KeyMetadata() {
    }

    /**
     * A deep, immutable copy that keeps the key order.
     *
     * @throws IllegalArgumentException if a value is not of a JSON type or a name is null
     */
    public static Map<String, Object> copyOf(Map<String, ?> metadata) {
        if (metadata == null || metadata.isEmpty()) {
            return Map.of();
        }
        return copyObject(metadata);
    }

    private static Map<String, Object> copyObject(Map<?, ?> object) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> entry : object.entrySet()) {
            if (!(entry.getKey() instanceof String name)) {
                throw new IllegalArgumentException("metadata names must be strings");
            }
            copy.put(name, copyValue(entry.getValue()));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object copyValue(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number number) {
            return requireFinite(number);
        }
        if (value instanceof Map<?, ?> object) {
            return copyObject(object);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (Object element : list) {
                copy.add(copyValue(element));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException("metadata values must be JSON values, not " + value.getClass().getName());
    }

    private static Number requireFinite(Number number) {
        if ((number instanceof Double d && !Double.isFinite(d)) || (number instanceof Float f && !Float.isFinite(f))) {
            throw new IllegalArgumentException("metadata numbers must be finite");
        }
        return number;
    }

    /** The compact JSON text of {@code metadata}, in its key order. */
    public static String toJson(Map<String, ?> metadata) {
        StringBuilder json = new StringBuilder();
        writeValue(json, metadata == null ? Map.of() : metadata);
        return json.toString();
    }

    /**
     * The text a top-level value is compared by in filters: a string as itself, a number, boolean or {@code null}
     * as its JSON literal, and {@code null} (no match possible) for lists and objects.
     */
    public static String scalarText(Object value) {
        if (value instanceof String text) {
            return text;
        }
        if (value == null || value instanceof Map || value instanceof List) {
            return null;
        }
        StringBuilder literal = new StringBuilder();
        writeValue(literal, value);
        return literal.toString();
    }

    private static void writeValue(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof String text) {
            writeString(json, text);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof Byte || value instanceof BigInteger) {
            json.append(value);
        } else if (value instanceof BigDecimal decimal) {
            json.append(decimal.toString());
        } else if (value instanceof Number number) {
            double d = number.doubleValue();
            json.append(d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d));
        } else if (value instanceof Map<?, ?> object) {
            json.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : object.entrySet()) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                writeString(json, String.valueOf(entry.getKey()));
                json.append(':');
                writeValue(json, entry.getValue());
            }
            json.append('}');
        } else if (value instanceof List<?> list) {
            json.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                writeValue(json, list.get(i));
            }
            json.append(']');
        } else {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName());
        }
    }

    private static void writeString(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
