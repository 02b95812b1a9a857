package io.github.apikey.core.hash;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.format.ParsedApiKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keys and hashes made by the reference Argon2 implementation in keyshield's format: every row must verify
 * exactly as its {@code expected} column says.
 */
class KeyshieldInteropVectorsTest {

    private static final String RESOURCE = "/interop/argon2-keyshield-vectors.tsv";

    record Vector(String label, String pepper, String fullKey, String keyId, String storedHash, boolean valid) {

        @Override
        public String toString() {
            return label;
        }
    }

    static List<Vector> vectors() {
        return parse(readResource());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("vectors")
    void verifiesExactlyAsExpected(Vector vector) {
        ParsedApiKey parsed = new ApiKeyFormat().parse(vector.fullKey());
        assertThat(parsed.keyId()).isEqualTo(vector.keyId());

        boolean verified = new Argon2ApiKeyHasher(vector.pepper()).verify(vector.storedHash(), parsed.secret());

        assertThat(verified).as(vector.label()).isEqualTo(vector.valid());
    }

    @Test
    void coversValidAndInvalidRowsAndTheCostsTheyClaim() {
        List<Vector> vectors = vectors();

        assertThat(vectors).extracting(Vector::valid).contains(true, false);
        assertThat(vectors).extracting(Vector::storedHash)
                .anyMatch(hash -> hash.contains("m=65536,t=3,p=4"))
                .anyMatch(hash -> !hash.contains("m=65536,t=3,p=4"));
    }

    /** The copy in this module's resources must not drift from the one shared with CI, where that is present. */
    @Test
    void bundledVectorsMatchTheSharedOnesWhenPresent() throws IOException {
        Optional<Path> shared = findShared();
        if (shared.isPresent()) {
            assertThat(readResource()).isEqualTo(Files.readString(shared.get(), StandardCharsets.UTF_8));
        }
    }

    private static Optional<Path> findShared() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/interop/argon2-keyshield-vectors.tsv");
            if (Files.isRegularFile(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    private static String readResource() {
        try (InputStream in = KeyshieldInteropVectorsTest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from the test class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<Vector> parse(String tsv) {
        List<String> lines = tsv.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines.get(0).split("\t"))
                .containsExactly("label", "pepper", "full_key", "key_id", "stored_hash", "expected");
        return lines.stream().skip(1).map(line -> line.split("\t")).map(cells -> {
            assertThat(cells).as(Arrays.toString(cells)).hasSize(6);
            assertThat(cells[5]).isIn("valid", "invalid");
            return new Vector(cells[0], cells[1], cells[2], cells[3], cells[4], cells[5].equals("valid"));
        }).toList();
    }
}
