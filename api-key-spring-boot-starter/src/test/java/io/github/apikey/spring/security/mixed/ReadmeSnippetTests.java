package io.github.apikey.spring.security.mixed;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's code is the code the tests run: each tagged region of the test sources, imports included, must
 * stand verbatim in a Java block of the README.
 */
class ReadmeSnippetTests {

    @ParameterizedTest
    @CsvSource({"mixed/SecurityConfiguration.java, security-configuration",
            "mixed/ReportController.java, annotated-controller",
            "jwt/JwtAndApiKeySecurityConfiguration.java, jwt-configuration",
            "mixed/ReportControllerSliceTests.java, slice-test-with-pepper",
            "mixed/ReportControllerMockedServiceTests.java, slice-test-with-mock"})
    void theReadmeShowsTheTestedCode(String file, String tag) throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        String source = Files.readString(Path.of("src/test/java/io/github/apikey/spring/security", file));
        String readme = Files.readString(root.resolve("README.md"));

        String begin = "// tag::" + tag + "[]\n";
        int start = source.indexOf(begin);
        int end = source.indexOf("// end::" + tag + "[]");
        assertThat(start).as("tag %s in %s", tag, file).isNotNegative();
        String snippet = source.substring(start + begin.length(), end).stripTrailing();

        assertThat(readme).contains("```java\n" + snippet + "\n```");
    }
}
