package io.github.apikey.core.format;

import io.github.apikey.core.error.InvalidKeyException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ApiKeyFormatTest {

    private static final String KEY_ID = "5321332a9dcdfa83";
    private static final String SECRET = "dxbNDVzVH3sJLeWsa2H7MopjnJk9rUowsMBQApAP5aTPemN4k86BGKtmkdckd8b1";
    private static final String KEY = "ak_v1-" + KEY_ID + "-" + SECRET;

    private final ApiKeyFormat format = new ApiKeyFormat();

    @Test
    void parsesAKeyshieldKey() {
        ParsedApiKey parsed = format.parse(KEY);

        assertThat(parsed.keyId()).isEqualTo(KEY_ID);
        assertThat(parsed.secret()).isEqualTo(SECRET);
        assertThat(parsed.toString()).contains(KEY_ID).doesNotContain(SECRET);
    }

    @Test
    void generatesKeysThatParseBack() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            String keyId = format.newKeyId();
            String secret = format.newSecret();
            assertThat(keyId).matches("[0-9a-f]{16}");
            assertThat(secret).matches("[A-Za-z0-9]{64}");
            secrets.add(secret);

            ParsedApiKey parsed = format.parse(format.format(keyId, secret));
            assertThat(parsed.keyId()).isEqualTo(keyId);
            assertThat(parsed.secret()).isEqualTo(secret);
        }
        assertThat(secrets).hasSize(200);
    }

    @Test
    void secretsUseTheWholeAlphabet() {
        Set<Character> seen = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            for (char c : format.newSecret().toCharArray()) {
                seen.add(c);
            }
        }
        assertThat(seen).hasSize(62);
    }

    @Test
    void customPrefixAndSeparatorFormatAndParse() {
        ApiKeyFormat live = new ApiKeyFormat("sk_live", ".");

        String key = live.format(KEY_ID, SECRET);

        assertThat(key).isEqualTo("sk_live." + KEY_ID + "." + SECRET);
        assertThat(live.parse(key).secret()).isEqualTo(SECRET);
        assertThat(live.hasPrefix(key)).isTrue();
        assertThat(live.hasPrefix(KEY)).isFalse();
        assertThatThrownBy(() -> live.parse(KEY)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void multiCharacterSeparatorWorks() {
        ApiKeyFormat format = new ApiKeyFormat("ak", "::");

        assertThat(format.parse("ak::" + KEY_ID + "::" + SECRET).keyId()).isEqualTo(KEY_ID);
    }

    @Test
    void rejectsASeparatorInsideThePrefix() {
        assertThatThrownBy(() -> new ApiKeyFormat("ak_v1", "_"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("prefix 'ak_v1' must not contain the separator '_'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "Z", "7", "x-", "-0"})
    void rejectsASeparatorFromTheSecretAlphabet(String separator) {
        assertThatThrownBy(() -> new ApiKeyFormat("ak", separator))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not contain letters or digits");
    }

    @Test
    void rejectsEmptyBlankOrNonAsciiPrefixAndSeparator() {
        assertThatThrownBy(() -> new ApiKeyFormat("", "-")).hasMessageContaining("prefix must not be empty");
        assertThatThrownBy(() -> new ApiKeyFormat("ak", "")).hasMessageContaining("separator must not be empty");
        assertThatThrownBy(() -> new ApiKeyFormat("a k", "-")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> new ApiKeyFormat("ак", "-")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> new ApiKeyFormat("ak", "\t")).hasMessageContaining("printable ASCII");
        assertThatThrownBy(() -> new ApiKeyFormat(null, "-")).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> new ApiKeyFormat("x".repeat(33), "-")).hasMessageContaining("at most 32");
    }

    static List<String> malformedKeys() {
        return List.of(
            "",
            "ak_v1",
            "ak_v1-",
            "ak_v2-" + KEY_ID + "-" + SECRET,
            "AK_V1-" + KEY_ID + "-" + SECRET,
            " ak_v1-" + KEY_ID + "-" + SECRET,
            "ak_v1-" + KEY_ID + "-" + SECRET + " ",
            "ak_v1-" + KEY_ID + "-" + SECRET + "x",
            "ak_v1-" + KEY_ID + SECRET,
            "ak_v1-" + KEY_ID + "--" + SECRET,
            "ak_v1--" + KEY_ID + SECRET,
            "ak_v1-" + KEY_ID + "-" + SECRET.substring(1),
            "ak_v1-" + KEY_ID + "-" + SECRET.substring(0, 63) + "-",
            "ak_v1-" + KEY_ID + "-" + SECRET.substring(0, 63) + "_",
            "ak_v1-" + KEY_ID + "-" + SECRET.substring(0, 63) + "é",
            "ak_v1-" + "5321332A9DCDFA83" + "-" + SECRET,
            "ak_v1-" + "5321332a9dcdfa8g" + "-" + SECRET,
            "ak_v1-" + "5321332a9dcdfa8" + "-" + SECRET + "a",
            "ak_v1-" + "5321332a9dcdfa833" + "-" + SECRET.substring(1),
            "ak_v1-" + KEY_ID + "-" + SECRET + "-" + SECRET,
            "ak_v1" + "-" + "-" + SECRET + "12345678901234567");
    }

    @ParameterizedTest
    @MethodSource("malformedKeys")
    void rejectsAnythingNotExactlyOfTheFormat(String key) {
        assertThatThrownBy(() -> format.parse(key))
                .isInstanceOf(InvalidKeyException.class)
                .hasMessage("API key invalid");
    }

    @Test
    void rejectsNull() {
        assertThatThrownBy(() -> format.parse(null)).isInstanceOf(InvalidKeyException.class);
        assertThat(format.hasPrefix(null)).isFalse();
    }

    @Test
    void formatRefusesPartsOfTheWrongShape() {
        assertThatThrownBy(() -> format.format("xyz", SECRET)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> format.format(KEY_ID, "short")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void toStringShowsTheShapeOnly() {
        assertThat(format.toString()).isEqualTo("ApiKeyFormat[ak_v1-<keyId>-<secret>]");
        assertThat(format.getPrefix()).isEqualTo("ak_v1");
        assertThat(format.getSeparator()).isEqualTo("-");
    }
}
