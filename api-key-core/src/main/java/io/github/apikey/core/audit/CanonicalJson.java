package io.github.apikey.core.audit;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The one JSON form events are hashed and stored in, so that an auditor reproduces it with any JSON library: no
 * whitespace, object members sorted by name (by UTF-16 code units, as Python's {@code sort_keys} and JavaScript
 * sort), strings escaped only where JSON requires it ({@code "}, {@code \}, and control characters: {@code \b \f \n
 * \r \t} as such, the others as a backslash, u and four lowercase hex digits), every other character as itself in UTF-8. Values
 * are strings, integers, booleans, {@code null}, lists and objects; no fractions, whose text differs between
 * libraries. Python's {@code json.dumps(value, separators=(",", ":"), sort_keys=True, ensure_ascii=False)} writes the
 * same text.
 */
public final class CanonicalJson {

    private CanonicalJson() {
    }

    public static String write(Object value) {
        StringBuilder json = new StringBuilder();
        writeValue(json, value);
        return json.toString();
    }

    static void writeValue(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof String text) {
            quote(json, text);
        } else if (value instanceof Boolean || value instanceof Integer || value instanceof Long
                || value instanceof Short || value instanceof BigInteger) {
            json.append(value);
        } else if (value instanceof Map<?, ?> object) {
            List<String> names = new ArrayList<>();
            for (Object name : object.keySet()) {
                names.add((String) name);
            }
            names.sort(null);
            json.append('{');
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    json.append(',');
                }
                quote(json, names.get(i));
                json.append(':');
                writeValue(json, object.get(names.get(i)));
            }
            json.append('}');
        } else if (value instanceof Collection<?> list) {
            json.append('[');
            boolean first = true;
            for (Object element : list) {
                if (!first) {
                    json.append(',');
                }
                first = false;
                writeValue(json, element);
            }
            json.append(']');
        } else {
            throw new IllegalArgumentException("Not a canonical JSON value: " + value.getClass().getName());
        }
    }

    static void quote(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\b' -> json.append("\\b");
                case '\f' -> json.append("\\f");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
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
