package io.github.apikey.core.format;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyAuthenticationException;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.KeyNotProvidedException;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.store.InMemoryApiKeyStore;
import io.github.apikey.core.testing.MutableClock;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import org.junit.jupiter.api.BeforeAll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

/**
 * Fuzz tests (Jazzer) of what parses presented keys: {@link ApiKeyFormat#parse} and {@link ApiKeyService#verify}.
 *
 * <p>Under {@code ./mvnw verify} they run in Jazzer's regression mode: each target runs once on the empty input
 * and once on every file under {@code src/test/resources/io/github/apikey/core/format/ApiKeyFormatFuzzTestsInputs/
 * <method>/}. Most targets read the whole input as one string, so the files there are plain text keys;
 * {@link #parseWithAnyFormat} first takes a prefix and a separator, each ended by a backslash and one more
 * character, and {@link #verifyWithRequiredScopes} builds its arguments from the bytes. Fuzzing runs one target
 * per JVM (Jazzer skips the other {@code @FuzzTest}s), for at most the {@code maxDuration} below unless
 * {@code -Djazzer.max_duration} says otherwise (every target of the project: see {@code HttpEdgeFuzzTests}):
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -pl api-key-core test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='ApiKeyFormatFuzzTests#parseDefaultFormat' -Djazzer.max_duration=60s
 * </pre>
 *
 * A finding fails the test and its input is written next to the inputs above, where the next {@code verify}
 * replays it; commit it with its fix. The corpus grows in {@code .cifuzz-corpus/} of the module. Do not use
 * {@code -Djazzer.keep_going}: with it, this Jazzer version reports the test as passed whatever it found.
 */
class ApiKeyFormatFuzzTests {

    private static final String JAZZER_HOOKS = "jazzer.hooks";
    private static final ApiKeyFormat DEFAULT = new ApiKeyFormat();
    private static final ApiKeyFormat CUSTOM = new ApiKeyFormat("sk_live", ".");

    // Fixed keys, so that the seed files can hold them: imported into the store below.
    static final String ACTIVE_KEY =
            "ak_v1-5321332a9dcdfa83-dxbNDVzVH3sJLeWsa2H7MopjnJk9rUowsMBQApAP5aTPemN4k86BGKtmkdckd8b1";
    static final String INACTIVE_KEY =
            "ak_v1-0123456789abcdef-AAAAbbbbCCCCddddEEEEffffGGGGhhhhIIIIjjjjKKKKllllMMMMnnnnOOOOpppp";
    static final String EXPIRED_KEY =
            "ak_v1-fedcba9876543210-0000111122223333444455556666777788889999aaaabbbbccccddddeeeeffff";

    /** The active key's scopes; a list that, unlike {@code List.of}, may be asked whether it contains null. */
    private static final List<String> HELD = Collections.singletonList("read");
    private static final MutableClock CLOCK = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private static final ApiKeyService SERVICE = new ApiKeyService(new InMemoryApiKeyStore(),
            new HmacSha256ApiKeyHasher("pepper"), DEFAULT, CLOCK);
    private static final UUID ACTIVE_ID;

    static {
        ACTIVE_ID = SERVICE.importKey("active", ACTIVE_KEY, List.of("read")).orElseThrow().getId();
        UUID inactive = SERVICE.importKey("inactive", INACTIVE_KEY, List.of("read")).orElseThrow().getId();
        SERVICE.deactivate(inactive);
        UUID expired = SERVICE.importKey("expired", EXPIRED_KEY, List.of("read")).orElseThrow().getId();
        SERVICE.update(expired, ApiKeyChanges.builder().expiresAt(CLOCK.instant().plusSeconds(60)).build());
        CLOCK.advance(Duration.ofMinutes(2));
    }

    /**
     * Regression mode installs Jazzer's agent without its hooks, which saves about four seconds and keeps the agent
     * from re-instrumenting project classes that earlier tests of the same JVM have already loaded: those lose
     * their parameter names (fatal to Spring MVC in the starter, see {@code HttpEdgeFuzzTests}). Fuzzing mode
     * ({@code JAZZER_FUZZ} set) keeps all hooks: they are its coverage and its sanitizers.
     */
    @BeforeAll
    static void noAgentHooksInRegressionMode() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if ((fuzz == null || fuzz.isEmpty()) && System.getProperty(JAZZER_HOOKS) == null) {
            System.setProperty(JAZZER_HOOKS, "false");
        }
    }

    @FuzzTest(maxDuration = "5m")
    void parseDefaultFormat(FuzzedDataProvider data) {
        assertParseContract(DEFAULT, data.consumeRemainingAsString());
    }

    @FuzzTest(maxDuration = "5m")
    void parseCustomFormat(FuzzedDataProvider data) {
        assertParseContract(CUSTOM, data.consumeRemainingAsString());
    }

    /**
     * Any format the constructor accepts keeps the contract. Input: up to 33 characters of prefix, up to 3 of
     * separator (each ended by a backslash and the character after it, or by the end of the input), then the
     * candidate key.
     */
    @FuzzTest(maxDuration = "5m")
    void parseWithAnyFormat(FuzzedDataProvider data) {
        String prefix = data.consumeString(33);
        String separator = data.consumeString(3);
        String candidate = data.consumeRemainingAsString();
        ApiKeyFormat format;
        try {
            format = new ApiKeyFormat(prefix, separator);
        } catch (IllegalArgumentException refused) {
            return;
        }
        assertParseContract(format, candidate);
        // A key the format generates itself always parses back to its parts.
        String keyId = format.newKeyId();
        String secret = format.newSecret();
        ParsedApiKey parsed = format.parse(format.format(keyId, secret));
        check(parsed.keyId().equals(keyId) && parsed.secret().equals(secret), "generated key did not round-trip",
                format, candidate);
    }

    /**
     * Only {@link ApiKeyAuthenticationException}s escape, each for the right reason: the store holds an active,
     * an inactive and an expired key; only the active one's exact text verifies.
     */
    @FuzzTest(maxDuration = "5m")
    void verifyArbitraryKeys(FuzzedDataProvider data) {
        String presented = data.consumeRemainingAsString();
        ApiKey verified;
        try {
            verified = SERVICE.verify(presented);
        } catch (ApiKeyAuthenticationException refused) {
            Class<?> expected = presented.isBlank() ? KeyNotProvidedException.class
                    : presented.equals(INACTIVE_KEY) ? KeyInactiveException.class
                    : presented.equals(EXPIRED_KEY) ? KeyExpiredException.class
                    : InvalidKeyException.class;
            check(refused.getClass() == expected, "refused with " + refused.getClass().getSimpleName()
                    + " instead of " + expected.getSimpleName(), DEFAULT, presented);
            return;
        }
        check(presented.equals(ACTIVE_KEY) && verified.getId().equals(ACTIVE_ID), "verified a key it should not",
                DEFAULT, presented);
        SERVICE.verify(presented, List.of("read"));
        try {
            SERVICE.verify(presented, List.of("read", "write"));
            throw new AssertionError("a key without scope 'write' passed a check requiring it");
        } catch (InsufficientScopesException expected) {
            check(expected.getMissingScopes().equals(List.of("write")), "wrong missing scopes "
                    + expected.getMissingScopes(), DEFAULT, presented);
        }
    }

    /**
     * {@link ApiKeyService#verify(String, java.util.Collection)} with required scopes: one of the stored keys or
     * anything, and up to three required scopes, each held, not held, malformed or {@code null}. Only
     * {@link ApiKeyAuthenticationException}s escape, and {@link InsufficientScopesException} exactly when the
     * active key lacks a required scope.
     */
    @FuzzTest(maxDuration = "5m")
    void verifyWithRequiredScopes(FuzzedDataProvider data) {
        String presented = data.consumeBoolean()
                ? data.pickValue(List.of(ACTIVE_KEY, INACTIVE_KEY, EXPIRED_KEY)) : data.consumeString(100);
        List<String> required = new ArrayList<>();
        int count = data.consumeInt(0, 3);
        for (int i = 0; i < count; i++) {
            required.add(switch (data.consumeInt(0, 5)) {
                case 0 -> null;
                case 1 -> data.consumeString(12);
                default -> data.pickValue(List.of("read", "write", "READ", "", "read "));
            });
        }
        try {
            SERVICE.verify(presented, required);
        } catch (InsufficientScopesException missing) {
            check(presented.equals(ACTIVE_KEY) && !HELD.containsAll(required),
                    "refused for scopes " + missing.getMissingScopes() + " of " + required, DEFAULT, presented);
            return;
        } catch (ApiKeyAuthenticationException refused) {
            check(!presented.equals(ACTIVE_KEY), "refused the active key with " + refused.getClass().getSimpleName(),
                    DEFAULT, presented);
            return;
        }
        check(presented.equals(ACTIVE_KEY) && HELD.containsAll(required),
                "verified for scopes " + required, DEFAULT, presented);
    }

    /**
     * Either the candidate parses into parts that format back to exactly the candidate, or it is refused with
     * {@link InvalidKeyException}; any other exception escapes and fails the test. The cheap checks agree.
     */
    private static void assertParseContract(ApiKeyFormat format, String candidate) {
        ParsedApiKey parsed;
        try {
            parsed = format.parse(candidate);
        } catch (InvalidKeyException refused) {
            check(!format.isWellFormed(candidate), "refused a well-formed key", format, candidate);
            return;
        }
        check(format.isWellFormed(candidate) && format.hasKeyShape(candidate) && format.hasPrefix(candidate),
                "parsed a key that the shape checks refuse", format, candidate);
        check(ApiKeyFormat.isKeyId(parsed.keyId()), "parsed an invalid key id", format, candidate);
        check(format.format(parsed.keyId(), parsed.secret()).equals(candidate),
                "parts do not format back to the input", format, candidate);
        check(!parsed.toString().contains(parsed.secret()), "toString() shows the secret", format, candidate);
    }

    private static void check(boolean condition, String message, ApiKeyFormat format, String candidate) {
        if (!condition) {
            throw new AssertionError(message + " (" + format + ", input " + escape(candidate) + ")");
        }
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c >= ' ' && c <= '~' && c != '"' && c != '\\') {
                escaped.append(c);
            } else {
                escaped.append(String.format("\\u%04x", (int) c));
            }
        }
        return escaped.append('"').toString();
    }
}
