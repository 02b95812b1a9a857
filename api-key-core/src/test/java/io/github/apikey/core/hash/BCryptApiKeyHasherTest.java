package io.github.apikey.core.hash;

import io.github.apikey.core.format.ApiKeyFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BCryptApiKeyHasherTest extends ApiKeyHasherContract {

    @Override
    protected ApiKeyHasher hasher(String pepper) {
        return new BCryptApiKeyHasher(pepper, 4);
    }

    @Override
    protected boolean salted() {
        return true;
    }

    @Test
    void secretsThatShareTheirFirst72BytesStillDiffer() {
        ApiKeyHasher hasher = hasher(PEPPER);
        String common = "x".repeat(80);

        String hash = hasher.hash(common + "a");

        assertThat(hasher.verify(hash, common + "a")).isTrue();
        assertThat(hasher.verify(hash, common + "b")).isFalse();
    }

    @Test
    void defaultCostIsSpringSecuritysAndIsWrittenIntoTheHash() {
        BCryptApiKeyHasher hasher = new BCryptApiKeyHasher(PEPPER);
        String secret = new ApiKeyFormat().newSecret();

        String hash = hasher.hash(secret);

        assertThat(hasher.getCost()).isEqualTo(10);
        assertThat(hash).startsWith("$2b$10$");
        assertThat(hasher.verify(hash, secret)).isTrue();
    }

    @Test
    void costIsValidated() {
        assertThatThrownBy(() -> new BCryptApiKeyHasher(PEPPER, 3)).hasMessageContaining("between 4 and 31");
        assertThatThrownBy(() -> new BCryptApiKeyHasher(PEPPER, 32)).hasMessageContaining("between 4 and 31");
    }
}
