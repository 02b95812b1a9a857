package io.github.apikey.spring.support;

/**
 * JSON string literals, for the few places that write JSON without a JSON library: stored scopes and error
 * responses written by security filters, which run before any message converter.
 */
public final class JsonText {

    private JsonText() {
    }

    /** {@code value} as a quoted, escaped JSON string; {@code null} as {@code null}. */
    public static String quote(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder json = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append('"').toString();
    }
}
