package io.github.apikey.core.hash;

import io.github.apikey.core.format.ApiKeyFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What every {@link ApiKeyHasher} must do; subclasses build the hasher under test from a pepper. */
abstract class ApiKeyHasherContract {

    static final String PEPPER = "test-pepper-0123456789abcdefghijklmnop";

    private final ApiKeyFormat format = new ApiKeyFormat();

    protected abstract ApiKeyHasher hasher(String pepper);

    /** Whether two hashes of the same secret differ (salted schemes). */
    protected abstract boolean salted();

    @Test
    void verifiesTheSecretItHashed() {
        ApiKeyHasher hasher = hasher(PEPPER);
        String secret = format.newSecret();

        String hash = hasher.hash(secret);

        assertThat(hasher.verify(hash, secret)).isTrue();
        assertThat(hash).doesNotContain(secret).doesNotContain(PEPPER);
    }

    @Test
    void refusesAnotherSecretAndAOneCharacterChange() {
        ApiKeyHasher hasher = hasher(PEPPER);
        String secret = format.newSecret();
        String hash = hasher.hash(secret);

        char last = secret.charAt(63);
        String changed = secret.substring(0, 63) + (last == 'a' ? 'b' : 'a');
        assertThat(hasher.verify(hash, changed)).isFalse();
        assertThat(hasher.verify(hash, format.newSecret())).isFalse();
        assertThat(hasher.verify(hash, "")).isFalse();
    }

    @Test
    void refusesTheRightSecretUnderAnotherPepper() {
        String secret = format.newSecret();
        String hash = hasher(PEPPER).hash(secret);

        assertThat(hasher(PEPPER + "x").verify(hash, secret)).isFalse();
    }

    @Test
    void hashesOfTheSameSecretDifferExactlyWhenSalted() {
        ApiKeyHasher hasher = hasher(PEPPER);
        String secret = format.newSecret();

        assertThat(hasher.hash(secret).equals(hasher.hash(secret))).isEqualTo(!salted());
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"garbage", "$argon2id$", "$argon2id$v=19$m=65536,t=3,p=4$!!$!!", "$2b$10$short",
            "$hmac-sha256$", "$hmac-sha256$not base64", "$argon2i$v=19$m=16,t=2,p=1$c2FsdHNhbHQ$aGFzaA"})
    void returnsFalseAndNeverThrowsOnAMalformedStoredHash(String storedHash) {
        assertThat(hasher(PEPPER).verify(storedHash, format.newSecret())).isFalse();
    }

    @Test
    void returnsFalseForANullSecret() {
        ApiKeyHasher hasher = hasher(PEPPER);

        assertThat(hasher.verify(hasher.hash(format.newSecret()), null)).isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\t\n"})
    void requiresAPepperAndSaysHowToSetIt(String pepper) {
        assertThatThrownBy(() -> hasher(pepper))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pepper is required")
                .hasMessageContaining("api-key.pepper")
                .hasMessageContaining("API_KEY_PEPPER");
    }

    @Test
    void toStringNeverShowsThePepper() {
        assertThat(hasher(PEPPER).toString()).doesNotContain(PEPPER);
    }
}
