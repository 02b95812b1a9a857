package io.github.apikey.core.properties;

import io.github.apikey.core.testing.PropertyRun;
import io.github.apikey.core.testing.Samples;

import io.github.apikey.core.testing.Samples.FormatSpec;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static io.github.apikey.core.testing.Samples.ALPHANUMERIC;
import static io.github.apikey.core.testing.Samples.CLASHING;
import static io.github.apikey.core.testing.Samples.FOREIGN;
import static io.github.apikey.core.testing.Samples.PRINTABLE;
import static io.github.apikey.core.testing.Samples.PUNCTUATION;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The format accepts exactly the prefixes and separators the README documents: non-empty printable ASCII without
 * spaces, a prefix of at most 32 characters that does not contain the separator, a separator without letters or
 * digits. Everything else is an {@link IllegalArgumentException}.
 */
class KeyFormatPropertiesTests {

    @Test
    void acceptsExactlyTheDocumentedPrefixesAndSeparators() {
        PropertyRun.check("format accepts exactly the documented prefixes and separators", 5000,
                KeyFormatPropertiesTests::anyPrefixAndSeparator, KeyFormatPropertiesTests::shrink, (spec, tally) -> {
                    boolean documented = documentedValid(spec.prefix(), spec.separator());
                    tally.count(documented ? "valid" : "invalid");
                    assertThat(spec.isValid()).as("%s is valid by the README's rules: %s", spec, documented)
                            .isEqualTo(documented);
                });
    }

    private static boolean documentedValid(String prefix, String separator) {
        return !prefix.isEmpty() && !separator.isEmpty() && printable(prefix) && printable(separator)
                && prefix.length() <= 32 && separator.chars().noneMatch(c -> ALPHANUMERIC.indexOf(c) >= 0)
                && !prefix.contains(separator);
    }

    private static boolean printable(String text) {
        return text.chars().allMatch(c -> PRINTABLE.indexOf(c) >= 0);
    }

    private static FormatSpec anyPrefixAndSeparator(SplittableRandom random) {
        return new FormatSpec(anyText(random, 40), anyText(random, 4));
    }

    /** Mostly printable text, sometimes with a foreign character, sometimes empty, sometimes too long. */
    private static String anyText(SplittableRandom random, int maxLength) {
        int length = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 4 : maxLength);
        String alphabet = switch (random.nextInt(4)) {
            case 0 -> CLASHING;
            case 1 -> PUNCTUATION;
            case 2 -> PRINTABLE;
            default -> PRINTABLE + FOREIGN;
        };
        return Samples.string(random, alphabet, length);
    }

    private static Stream<FormatSpec> shrink(FormatSpec spec) {
        List<FormatSpec> candidates = new ArrayList<>();
        for (String prefix : Samples.shrinkString(spec.prefix(), 'a')) {
            candidates.add(new FormatSpec(prefix, spec.separator()));
        }
        for (String separator : Samples.shrinkString(spec.separator(), '-')) {
            candidates.add(new FormatSpec(spec.prefix(), separator));
        }
        return candidates.stream();
    }
}
