package io.github.apikey.test;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's "Testing your application" and "Using the artifacts" sections show the code that runs: each tagged
 * region of this module's tests and of the consumer fixture's POM (which {@code .ci/run} builds against the installed
 * artifacts), and the whole test properties file, must stand verbatim in a block of the README.
 */
class ReadmeSnippetTests {

    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();

    @ParameterizedTest
    @CsvSource({"api-key-test/src/test/java/io/github/apikey/test/example/ReportController.java, example-controller",
            "api-key-test/src/test/java/io/github/apikey/test/example/ReportControllerTests.java, post-processor",
            "api-key-test/src/test/java/io/github/apikey/test/example/ReportControllerWithApiKeyTests.java, "
                    + "with-api-key",
            "api-key-test/src/test/java/io/github/apikey/test/example/ReportsIntegrationTests.java, test-api-keys"})
    void theReadmeShowsTheTestClasses(String file, String tag) throws IOException {
        String snippet = region(file, "// tag::" + tag + "[]\n", "// end::" + tag + "[]");

        assertThat(readme()).contains("```java\n" + snippet + "\n```");
    }

    @ParameterizedTest
    @CsvSource({"bom", "starter-dependency", "test-dependency"})
    void theReadmeShowsTheFixturesBuild(String tag) throws IOException {
        String snippet = region(".ci/fixture/pom.xml", "<!-- tag::" + tag + "[] -->\n",
                "<!-- end::" + tag + "[] -->").stripIndent();

        assertThat(readme()).contains("```xml\n" + snippet.stripTrailing() + "\n```");
    }

    @ParameterizedTest
    @CsvSource({"api-key-test/src/test/resources/application-test.properties",
            ".ci/fixture/src/test/resources/application-test.properties"})
    void theReadmeShowsTheTestProperties(String file) throws IOException {
        String properties = Files.readString(ROOT.resolve(file)).stripTrailing();
        // The fixture may leave out the comment; every property line must be the README's.
        String shown = Files.readString(ROOT.resolve("api-key-test/src/test/resources/application-test.properties"))
                .stripTrailing();

        assertThat(readme()).contains("```properties\n" + shown + "\n```");
        properties.lines().filter(line -> !line.startsWith("#"))
                .forEach(line -> assertThat(shown.lines()).as(file).contains(line));
    }

    private static String readme() throws IOException {
        return Files.readString(ROOT.resolve("README.md"));
    }

    private static String region(String file, String begin, String end) throws IOException {
        String source = Files.readString(ROOT.resolve(file));
        int start = source.indexOf(begin);
        assertThat(start).as("%s in %s", begin, file).isNotNegative();
        int stop = source.indexOf(end, start);
        assertThat(stop).as("%s in %s", end, file).isPositive();
        String region = source.substring(start + begin.length(), stop);
        // The end marker's own indentation is not part of the region.
        return region.substring(0, region.lastIndexOf('\n') + 1).stripTrailing();
    }
}
