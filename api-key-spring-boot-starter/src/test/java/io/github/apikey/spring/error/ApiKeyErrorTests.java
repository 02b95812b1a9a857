package io.github.apikey.spring.error;

import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.KeyNotProvidedException;
import io.github.apikey.core.error.KeyRestrictedException;
import io.github.apikey.core.error.UsageExceededException;
import io.github.apikey.core.error.VerificationCapacityExceededException;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ProblemDetail;

import static org.assertj.core.api.Assertions.assertThat;

/** The one mapping of error codes to HTTP answers, against the README's error table. */
class ApiKeyErrorTests {

    @ParameterizedTest
    @EnumSource(value = ApiKeyErrorCode.class, names = {"MISSING", "INVALID", "INACTIVE", "EXPIRED",
            "ADDRESS_NOT_ALLOWED", "ORIGIN_NOT_ALLOWED", "USAGE_EXCEEDED", "RATE_LIMITED", "UNAVAILABLE"})
    void everyAuthenticationAnswerIsTheOneTheReadmeDocuments(ApiKeyErrorCode code) throws IOException {
        ApiKeyError error = ApiKeyError.of(code);

        assertThat(readmeErrorRows()).anySatisfy(row -> assertThat(row)
                .startsWith("| " + error.getStatus().value() + " |").contains("`" + error.getDetail() + "`"));
    }

    @Test
    void missingScopesAreNamedAsTheReadmeDocuments() throws IOException {
        ApiKeyError error = ApiKeyError.of(new InsufficientScopesException(List.of("a", "b")));

        assertThat(error.getStatus().value()).isEqualTo(403);
        assertThat(error.getChallengeError()).isEqualTo("insufficient_scope");
        assertThat(error.toProblemDetail().getProperties()).containsEntry("missingScopes", List.of("a", "b"));
        assertThat(readmeErrorRows()).anySatisfy(row -> assertThat(row).startsWith("| 403 |")
                .contains("`" + error.getDetail() + "`").contains("error=\"insufficient_scope\", scope=\"a b\""));
    }

    @Test
    void eachCoreErrorIsAnsweredByItsCode() {
        UUID id = UUID.randomUUID();
        assertAnswer(new KeyNotProvidedException(), 401, "API key missing", null);
        assertAnswer(new InvalidKeyException(), 401, "API key invalid", "invalid_token");
        assertAnswer(new KeyInactiveException(), 403, "API key inactive", null);
        assertAnswer(new KeyExpiredException(), 403, "API key expired", null);
        assertAnswer(KeyRestrictedException.address(), 403, "API key not allowed from this IP address", null);
        assertAnswer(KeyRestrictedException.origin(), 403, "API key not allowed from this origin", null);
        assertAnswer(new UsageExceededException(null), 429, "API key usage exceeded", null);
        assertAnswer(new ApiKeyStoreException("connection refused by db.internal:5432", null), 503,
                "API key verification is temporarily unavailable", null);
        assertAnswer(new VerificationCapacityExceededException("no hash slot"), 503,
                "API key verification is temporarily unavailable", null);
        assertAnswer(new ApiKeyNotFoundException(id), 404, "API key " + id + " not found", null);
        assertAnswer(new DuplicateApiKeyException("API key id taken"), 409, "API key id taken", null);
        assertAnswer(new ApiKeyValidationException("name", "name must not be blank"), 400, "name must not be blank",
                null);
    }

    @Test
    void aStoreThatCannotAnswerSaysWhenToRetryAndNothingOfTheStore() {
        ApiKeyError error = ApiKeyError.of(new ApiKeyStoreException("connection refused by db.internal:5432", null));

        assertThat(error.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
        assertThat(error.isChallenged()).isFalse();
        assertThat(error.toProblemDetail().getDetail()).doesNotContain("db.internal");
    }

    @Test
    void eachNewRefusalHasItsOwnProblemType() {
        assertThat(ApiKeyError.of(KeyRestrictedException.address()).toProblemDetail().getType())
                .hasToString("urn:api-key:problem:address-not-allowed");
        assertThat(ApiKeyError.of(KeyRestrictedException.origin()).toProblemDetail().getType())
                .hasToString("urn:api-key:problem:origin-not-allowed");
        ProblemDetail exceeded = ApiKeyError.of(new UsageExceededException(null)).toProblemDetail();
        assertThat(exceeded.getType()).hasToString("urn:api-key:problem:usage-exceeded");
        assertThat(exceeded.getTitle()).isEqualTo("Too Many Requests");
    }

    @Test
    void anExhaustedKeyIsToldTheSecondsUntilItsRefillRoundedUp() {
        Instant now = Instant.parse("2026-06-01T23:59:58.250Z");
        ApiKeyError error = ApiKeyError.of(new UsageExceededException(Instant.parse("2026-06-02T00:00:00Z")));

        assertThat(error.getRetryAt()).isEqualTo("2026-06-02T00:00:00Z");
        assertThat(error.getHeaders(now).getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("2");
        assertThat(error.getHeaders(Instant.parse("2026-06-01T00:00:00Z")).getFirst(HttpHeaders.RETRY_AFTER))
                .isEqualTo("86400");
        // A refill due already (this clock a little ahead): try again at once, never a negative or zero wait.
        assertThat(error.getHeaders(Instant.parse("2026-06-02T00:00:03Z")).getFirst(HttpHeaders.RETRY_AFTER))
                .isEqualTo("1");
        assertThat(error.isChallenged()).isFalse();
    }

    @Test
    void anExhaustedKeyThatIsNeverRefilledGetsNoRetryAfter() {
        ApiKeyError error = ApiKeyError.of(new UsageExceededException(null));

        assertThat(error.getHeaders(Instant.now()).containsHeader(HttpHeaders.RETRY_AFTER)).isFalse();
        assertThat(ApiKeyError.of(ApiKeyErrorCode.USAGE_EXCEEDED).getHeaders().containsHeader(HttpHeaders.RETRY_AFTER))
                .isFalse();
    }

    @Test
    void onlyAnswersThatAnotherKeyWouldChangeCarryAChallenge() {
        assertThat(ApiKeyError.of(ApiKeyErrorCode.MISSING).isChallenged()).isTrue();
        assertThat(ApiKeyError.of(ApiKeyErrorCode.INVALID).isChallenged()).isTrue();
        assertThat(ApiKeyError.insufficientScope(List.of()).isChallenged()).isTrue();
        assertThat(ApiKeyError.of(ApiKeyErrorCode.INACTIVE).isChallenged()).isFalse();
        assertThat(ApiKeyError.of(ApiKeyErrorCode.EXPIRED).isChallenged()).isFalse();
        assertThat(ApiKeyError.of(ApiKeyErrorCode.ADDRESS_NOT_ALLOWED).isChallenged()).isFalse();
        assertThat(ApiKeyError.of(ApiKeyErrorCode.ORIGIN_NOT_ALLOWED).isChallenged()).isFalse();
        assertThat(ApiKeyError.of(ApiKeyErrorCode.USAGE_EXCEEDED).isChallenged()).isFalse();
    }

    @Test
    void aValidationProblemNamesItsField() {
        ProblemDetail problem = ApiKeyError.of(new ApiKeyValidationException("scopes", "too many scopes"))
                .toProblemDetail();

        assertThat(problem.getProperties()).containsEntry("field", "scopes");
    }

    private static void assertAnswer(io.github.apikey.core.error.ApiKeyException exception, int status, String detail,
                                     String challengeError) {
        ApiKeyError error = ApiKeyError.of(exception);
        assertThat(error.getCode()).isEqualTo(exception.getCode());
        assertThat(error.getStatus().value()).as("status of %s", exception.getCode()).isEqualTo(status);
        assertThat(error.getDetail()).isEqualTo(detail);
        assertThat(error.getChallengeError()).isEqualTo(challengeError);
        ProblemDetail problem = error.toProblemDetail();
        assertThat(problem.getStatus()).isEqualTo(status);
        assertThat(problem.getDetail()).isEqualTo(detail);
    }

    private static List<String> readmeErrorRows() throws IOException {
        String readme = Files.readString(Path.of("").toAbsolutePath().getParent().resolve("README.md"));
        String table = readme.substring(readme.indexOf("| status | `detail` | when |"));
        return table.lines().takeWhile(line -> line.startsWith("|")).toList();
    }
}
