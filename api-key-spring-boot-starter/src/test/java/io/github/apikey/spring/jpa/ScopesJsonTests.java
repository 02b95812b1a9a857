package io.github.apikey.spring.jpa;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ScopesJsonTests {

    @Test
    void writesCompactJsonAndReadsItBack() {
        List<String> scopes = List.of("read", "keys:admin", "quote\"back\\slash", "tab\t");

        String json = ScopesJson.write(scopes);

        assertThat(json).startsWith("[\"read\",\"keys:admin\",");
        assertThat(ScopesJson.read(json)).containsExactlyElementsOf(scopes);
        assertThat(ScopesJson.write(List.of())).isEqualTo("[]");
    }

    @Test
    void readsWhatPythonsJsonDumpsWrites() {
        assertThat(ScopesJson.read("[\"read\", \"write\"]")).containsExactly("read", "write");
        assertThat(ScopesJson.read(" [ ] ")).isEmpty();
        assertThat(ScopesJson.read("[\"caf\\u00e9\", \"a\\/b\\n\"]")).containsExactly("café", "a/b\n");
        assertThat(ScopesJson.read(null)).isEmpty();
        assertThat(ScopesJson.read("null")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "[", "[\"a\"", "[\"a\" \"b\"]", "[1]", "[\"a\"] x", "[\"\\x\"]", "[\"\\u12\"]"})
    void rejectsTextThatIsNotAnArrayOfStrings(String json) {
        assertThatThrownBy(() -> ScopesJson.read(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a JSON array of strings");
    }

    @Test
    void elementIsTheQuotedScopeAsItAppearsInTheArray() {
        assertThat(ScopesJson.element("read")).isEqualTo("\"read\"");
        assertThat(ScopesJson.write(List.of("a", "read"))).contains(ScopesJson.element("read"));
    }
}
