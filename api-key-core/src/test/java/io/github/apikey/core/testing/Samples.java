package io.github.apikey.core.testing;

import io.github.apikey.core.format.ApiKeyFormat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/** Generators and shrinkers for the key and scope properties. */
public final class Samples {

    /** Printable ASCII without the space: what a prefix or separator may consist of. */
    public static final String PRINTABLE = IntStream.rangeClosed('!', '~')
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    public static final String ALPHANUMERIC = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    public static final String LOWER_HEX = "0123456789abcdef";
    /** Printable ASCII that is neither letter nor digit: what a separator may consist of. */
    public static final String PUNCTUATION = PRINTABLE.chars().filter(c -> ALPHANUMERIC.indexOf(c) < 0)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
    /** A few characters that make prefixes and separators overlap often, where splitting is hardest. */
    public static final String CLASHING = "ak_v1-_.:~!";
    /** Characters no key may contain: space, controls, non-ASCII, a surrogate half, a supplementary-plane half. */
    public static final String FOREIGN = " \t\n\r\u0000\u007f\u00a0\u00e9\u00df\u0130\u212a\u2010\u2011\u3000\ud83d\ufeff";

    public static final String SCOPE_FIRST = "abcdefghijklmnopqrstuvwxyz";
    public static final String SCOPE_REST = "abcdefghijklmnopqrstuvwxyz0123456789:_-";

    private Samples() {
    }

    /** A prefix and separator, quoted so that odd characters show in reports. */
    public record FormatSpec(String prefix, String separator) {

        public static final FormatSpec DEFAULT = new FormatSpec(ApiKeyFormat.DEFAULT_PREFIX, ApiKeyFormat.DEFAULT_SEPARATOR);

        public ApiKeyFormat toFormat() {
            return new ApiKeyFormat(prefix, separator);
        }

        public boolean isValid() {
            try {
                toFormat();
                return true;
            } catch (IllegalArgumentException | NullPointerException invalid) {
                return false;
            }
        }

        @Override
        public String toString() {
            return "FormatSpec[prefix=" + quote(prefix) + ", separator=" + quote(separator) + "]";
        }
    }

    // ---- formats

    /** Any valid format: invalid candidates are drawn again, judged by the format's own rules. */
    public static FormatSpec validFormat(SplittableRandom random) {
        if (random.nextInt(10) == 0) {
            return FormatSpec.DEFAULT;
        }
        for (int attempt = 0; attempt < 1000; attempt++) {
            FormatSpec candidate = new FormatSpec(prefixCandidate(random), separatorCandidate(random));
            if (candidate.isValid()) {
                return candidate;
            }
        }
        throw new IllegalStateException("no valid format in 1000 candidates");
    }

    private static String prefixCandidate(SplittableRandom random) {
        int length = random.nextInt(5) == 0 ? 1 + random.nextInt(32) : 1 + random.nextInt(8);
        String alphabet = random.nextBoolean() ? CLASHING : PRINTABLE;
        return string(random, alphabet, length);
    }

    private static String separatorCandidate(SplittableRandom random) {
        int length = random.nextInt(4) == 0 ? 1 + random.nextInt(4) : 1;
        return string(random, random.nextBoolean() ? "-_.:~!" : PUNCTUATION, length);
    }

    /**
     * Smaller valid formats: shorter prefixes and separators, or ones with a character replaced by a plain one.
     * Every candidate is shorter or plainer, so shrinking ends.
     */
    public static Stream<FormatSpec> shrinkFormat(FormatSpec format) {
        List<FormatSpec> candidates = new ArrayList<>();
        for (String prefix : shrinkString(format.prefix(), 'a')) {
            candidates.add(new FormatSpec(prefix, format.separator()));
        }
        for (String separator : shrinkString(format.separator(), '-')) {
            candidates.add(new FormatSpec(format.prefix(), separator));
        }
        return candidates.stream().filter(FormatSpec::isValid);
    }

    /** Candidates for a smaller non-empty string: one character removed, or one replaced by {@code plain}. */
    public static List<String> shrinkString(String text, char plain) {
        List<String> candidates = new ArrayList<>();
        for (int i = 0; i < text.length() && text.length() > 1; i++) {
            candidates.add(text.substring(0, i) + text.substring(i + 1));
        }
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) != plain) {
                candidates.add(text.substring(0, i) + plain + text.substring(i + 1));
            }
        }
        return candidates;
    }

    // ---- scopes

    /** A scope matching {@code ^[a-z][a-z0-9:_-]*$}, mostly short, sometimes long. */
    public static String scope(SplittableRandom random) {
        int restLength = random.nextInt(6) == 0 ? random.nextInt(60) : random.nextInt(12);
        return char1(random, SCOPE_FIRST) + string(random, SCOPE_REST, restLength);
    }

    /** A scope list of 0 to 12 entries with duplicates in about a third of the places. */
    public static List<String> scopes(SplittableRandom random) {
        int size = random.nextInt(5) == 0 ? 0 : random.nextInt(13);
        List<String> scopes = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            scopes.add(!scopes.isEmpty() && random.nextInt(3) == 0 ? scopes.get(random.nextInt(scopes.size()))
                    : scope(random));
        }
        return scopes;
    }

    /** Scopes in first-seen order without duplicates: what a key must hold after being granted {@code scopes}. */
    public static List<String> distinct(List<String> scopes) {
        return List.copyOf(new LinkedHashSet<>(scopes));
    }

    /** Smaller scope lists: one entry removed, or one entry shortened. */
    public static Stream<List<String>> shrinkScopes(List<String> scopes) {
        List<List<String>> candidates = new ArrayList<>();
        for (int i = 0; i < scopes.size(); i++) {
            List<String> shorter = new ArrayList<>(scopes);
            shorter.remove(i);
            candidates.add(shorter);
        }
        for (int i = 0; i < scopes.size(); i++) {
            String scope = scopes.get(i);
            for (int end = 1; end < scope.length(); end++) {
                List<String> simpler = new ArrayList<>(scopes);
                simpler.set(i, scope.substring(0, end));
                candidates.add(simpler);
            }
        }
        return candidates.stream();
    }

    /**
     * A handful of scopes that look alike: a base, the base with a suffix or prefix, the base with one character
     * replaced by a LIKE wildcard or a neighbour, and its namespaced forms. Keys drawing from such a pool overlap
     * often, which is where scope filters go wrong.
     */
    public static List<String> lookAlikePool(SplittableRandom random) {
        String base = char1(random, SCOPE_FIRST) + string(random, SCOPE_REST, 1 + random.nextInt(5));
        LinkedHashSet<String> pool = new LinkedHashSet<>();
        pool.add(base);
        pool.add(base + char1(random, SCOPE_REST));
        pool.add(base + "s");
        pool.add(base + ":read");
        pool.add("x" + base);
        pool.add(base.substring(0, base.length() - 1));
        int at = 1 + random.nextInt(base.length() - 1);
        pool.add(base.substring(0, at) + "_" + base.substring(at + 1));
        pool.add(base.substring(0, at) + "-" + base.substring(at + 1));
        pool.add(base.substring(0, at) + char1(random, SCOPE_REST) + base.substring(at + 1));
        pool.add(scope(random));
        pool.removeIf(scope -> !scope.matches("^[a-z][a-z0-9:_-]*$"));
        return List.copyOf(pool);
    }

    /** 0 to {@code max} scopes drawn from {@code pool}, in drawn order, duplicates possible. */
    public static List<String> drawFrom(SplittableRandom random, List<String> pool, int max) {
        int size = random.nextInt(max + 1);
        List<String> drawn = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            drawn.add(pool.get(random.nextInt(pool.size())));
        }
        return drawn;
    }

    /** A string that is not a valid scope: empty, starting wrong, or holding a character outside the alphabet. */
    public static String invalidScope(SplittableRandom random) {
        String valid = scope(random);
        return switch (random.nextInt(5)) {
            case 0 -> "";
            case 1 -> char1(random, "0123456789:_-ABCZ" + FOREIGN) + valid.substring(1);
            case 2 -> {
                int at = random.nextInt(valid.length() + 1);
                char bad = char1(random, "ABCXYZ!\"#$%&'()*+,./;<=>?@[\\]^`{|}~" + FOREIGN);
                yield valid.substring(0, at) + bad + valid.substring(at);
            }
            case 3 -> valid.toUpperCase(java.util.Locale.ROOT);
            default -> valid + char1(random, " \n\t");
        };
    }

    // ---- characters

    public static String string(SplittableRandom random, String alphabet, int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append(char1(random, alphabet));
        }
        return text.toString();
    }

    public static char char1(SplittableRandom random, String alphabet) {
        return alphabet.charAt(random.nextInt(alphabet.length()));
    }

    /** Java-style quoting that shows controls and non-ASCII as escapes. */
    public static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < ' ' || c > '~') {
                quoted.append(String.format("\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
