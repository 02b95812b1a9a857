package io.github.apikey.cli;

import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.RateLimit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The values the command line reads from text: .env files for import, refills, rate limits, instants. */
class ParsingTests {

    @TempDir
    Path directory;

    @Test
    void readsDotenvFilesAsKeyshieldsLoadDotenvDoes() throws Exception {
        Path file = directory.resolve(".env");
        Files.writeString(file, """
                # keys of the billing service
                API_KEY_BILLING=ak_v1-0123456789abcdef-aaaa
                export API_KEY_REPORTS="ak_v1-fedcba9876543210-bbbb"
                API_KEY_SINGLE='ak_v1-1111111111111111-cccc'
                API_KEY_COMMENTED=ak_v1-2222222222222222-dddd # the old one

                not a variable
                API_KEY_PEPPER=kept-as-any-other-variable
                """);

        assertThat(KeyCommands.Parsing.dotenv(file)).containsExactly(
                entry("API_KEY_BILLING", "ak_v1-0123456789abcdef-aaaa"),
                entry("API_KEY_REPORTS", "ak_v1-fedcba9876543210-bbbb"),
                entry("API_KEY_SINGLE", "ak_v1-1111111111111111-cccc"),
                entry("API_KEY_COMMENTED", "ak_v1-2222222222222222-dddd"),
                entry("API_KEY_PEPPER", "kept-as-any-other-variable"));
    }

    @Test
    void readsRefillsRateLimitsAndInstants() {
        assertThat(KeyCommands.Parsing.refill("1000/daily"))
                .isEqualTo(new CreditRefill(1000, CreditRefill.Interval.DAILY));
        assertThat(KeyCommands.Parsing.rateLimits(List.of("requests=100/PT1M", "daily=5000/P1D"))).containsExactly(
                new RateLimit("requests", 100, Duration.ofMinutes(1)), new RateLimit("daily", 5000, Duration.ofDays(1)));
        assertThat(KeyCommands.Parsing.instant("--expires-at", "2027-01-31"))
                .isEqualTo(Instant.parse("2027-01-31T00:00:00Z"));
        assertThat(KeyCommands.Parsing.instant("--expires-at", "2027-01-31T12:30:00Z"))
                .isEqualTo(Instant.parse("2027-01-31T12:30:00Z"));
    }

    @Test
    void malformedValuesAreUsageErrorsNamingTheOption() {
        assertThatThrownBy(() -> KeyCommands.Parsing.refill("1000"))
                .isInstanceOfSatisfying(CliFailure.class, failure -> assertThat(failure.exitCode())
                        .isEqualTo(ExitCode.USAGE)).hasMessageContaining("--refill");
        assertThatThrownBy(() -> KeyCommands.Parsing.rateLimits(List.of("requests=100")))
                .isInstanceOfSatisfying(CliFailure.class, failure -> assertThat(failure.exitCode())
                        .isEqualTo(ExitCode.USAGE)).hasMessageContaining("--rate-limit");
        assertThatThrownBy(() -> KeyCommands.Parsing.instant("--expires-at", "tomorrow"))
                .isInstanceOfSatisfying(CliFailure.class, failure -> assertThat(failure.exitCode())
                        .isEqualTo(ExitCode.USAGE)).hasMessageContaining("--expires-at");
    }

    @Test
    void aPasswordInTheUrlArgumentIsRecognisedInEveryDriversForm() {
        assertThat(ApiKeyCli.passwordInUrlArgument("list", "--url", "jdbc:postgresql://db/keys?user=a&password=s"))
                .isTrue();
        assertThat(ApiKeyCli.passwordInUrlArgument("--url=jdbc:postgresql://db/keys?password=s", "list")).isTrue();
        assertThat(ApiKeyCli.passwordInUrlArgument("list", "--url", "jdbc:mariadb://app:s@db:3306/keys")).isTrue();
        assertThat(ApiKeyCli.passwordInUrlArgument("list", "--url", "jdbc:h2:./keys;USER=sa;PASSWORD=s")).isTrue();
        assertThat(ApiKeyCli.passwordInUrlArgument("list", "--url", "jdbc:postgresql://db:5432/keys?user=a"))
                .isFalse();
        assertThat(ApiKeyCli.passwordInUrlArgument("list", "--url", "jdbc:h2:mem:keys;DB_CLOSE_DELAY=-1")).isFalse();
        assertThat(ApiKeyCli.passwordInUrlArgument("list", "--name", "password=not-a-url")).isFalse();
    }

    @Test
    void aPasswordInTheUrlArgumentIsAUsageErrorThatDoesNotRepeatIt() {
        PrintStream standardError = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        int exitCode;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            exitCode = ApiKeyCli.run("list", "--url", "jdbc:postgresql://127.0.0.1:1/keys?password=hunter2-secret");
        } finally {
            System.setErr(standardError);
        }
        assertThat(exitCode).isEqualTo(ExitCode.USAGE);
        assertThat(captured.toString(StandardCharsets.UTF_8)).contains("--url holds a password")
                .contains("API_KEY_DB_PASSWORD").doesNotContain("hunter2-secret");
    }

    private static java.util.Map.Entry<String, String> entry(String name, String value) {
        return java.util.Map.entry(name, value);
    }
}
