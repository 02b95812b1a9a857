package io.github.apikey.spring.jpa;

import io.github.apikey.spring.support.JsonText;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Scopes as the JSON array of strings keyshield stores. Writes compact JSON; reads any JSON array of strings
 * (whitespace and escapes included), so rows written by other tools load too.
 */
final class ScopesJson {

    private ScopesJson() {
    }

    static String write(Collection<String> scopes) {
        StringBuilder json = new StringBuilder("[");
        for (String scope : scopes) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(JsonText.quote(scope));
        }
        return json.append(']').toString();
    }

    /** The JSON text {@code "scope"} as it appears inside a stored array, to match elements with LIKE. */
    static String element(String scope) {
        return JsonText.quote(scope);
    }

    static List<String> read(String json) {
        List<String> scopes = new ArrayList<>();
        if (json == null || json.isBlank() || json.strip().equals("null")) {
            return scopes;
        }
        Reader reader = new Reader(json);
        reader.skipWhitespace();
        reader.expect('[');
        reader.skipWhitespace();
        if (reader.peek() == ']') {
            reader.next();
        } else {
            while (true) {
                reader.skipWhitespace();
                scopes.add(reader.readString());
                reader.skipWhitespace();
                char c = reader.next();
                if (c == ']') {
                    break;
                }
                if (c != ',') {
                    throw reader.error("',' or ']'");
                }
            }
        }
        reader.skipWhitespace();
        if (!reader.atEnd()) {
            throw reader.error("end of input");
        }
        return scopes;
    }

    private static final class Reader {

        private final String text;
        private int position;

        Reader(String text) {
            this.text = text;
        }

        boolean atEnd() {
            return position >= text.length();
        }

        char peek() {
            if (atEnd()) {
                throw error("more input");
            }
            return text.charAt(position);
        }

        char next() {
            char c = peek();
            position++;
            return c;
        }

        void expect(char expected) {
            if (next() != expected) {
                throw error("'" + expected + "'");
            }
        }

        void skipWhitespace() {
            while (!atEnd() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        String readString() {
            expect('"');
            StringBuilder value = new StringBuilder();
            while (true) {
                char c = next();
                if (c == '"') {
                    return value.toString();
                }
                if (c != '\\') {
                    value.append(c);
                    continue;
                }
                char escaped = next();
                switch (escaped) {
                    case '"', '\\', '/' -> value.append(escaped);
                    case 'b' -> value.append('\b');
                    case 'f' -> value.append('\f');
                    case 'n' -> value.append('\n');
                    case 'r' -> value.append('\r');
                    case 't' -> value.append('\t');
                    case 'u' -> {
                        if (position + 4 > text.length()) {
                            throw error("four hex digits");
                        }
                        try {
                            value.append((char) Integer.parseInt(text.substring(position, position + 4), 16));
                        } catch (NumberFormatException e) {
                            throw error("four hex digits");
                        }
                        position += 4;
                    }
                    default -> throw error("an escape sequence");
                }
            }
        }

        IllegalArgumentException error(String expected) {
            return new IllegalArgumentException("Stored scopes are not a JSON array of strings: expected "
                    + expected + " at position " + position);
        }
    }
}
