package io.github.apikey.core.hash;

import io.github.apikey.core.format.ApiKeyFormat;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Argon2ApiKeyHasherTest extends ApiKeyHasherContract {

    /** Cheap cost so the contract runs fast; the default cost has its own test. */
    private static final Argon2Cost CHEAP = new Argon2Cost(1024, 1, 1);

    @Override
    protected ApiKeyHasher hasher(String pepper) {
        return new Argon2ApiKeyHasher(pepper, CHEAP);
    }

    @Override
    protected boolean salted() {
        return true;
    }

    @Test
    void defaultCostIsKeyshieldsAndWritesAPhcString() {
        Argon2ApiKeyHasher hasher = new Argon2ApiKeyHasher(PEPPER);
        String secret = new ApiKeyFormat().newSecret();

        String hash = hasher.hash(secret);

        assertThat(hasher.getCost()).isEqualTo(new Argon2Cost(65536, 3, 4));
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=65536,t=3,p=4\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(hasher.verify(hash, secret)).isTrue();
    }

    @Test
    void verificationReadsTheCostFromTheStoredHash() {
        String secret = new ApiKeyFormat().newSecret();
        String cheapHash = new Argon2ApiKeyHasher(PEPPER, CHEAP).hash(secret);

        assertThat(cheapHash).contains("m=1024,t=1,p=1");
        assertThat(new Argon2ApiKeyHasher(PEPPER, Argon2Cost.OWASP_MINIMUM).verify(cheapHash, secret)).isTrue();
    }

    @Test
    void costIsValidated() {
        assertThatThrownBy(() -> new Argon2Cost(65536, 0, 1)).hasMessageContaining("iterations");
        assertThatThrownBy(() -> new Argon2Cost(65536, 1, 0)).hasMessageContaining("parallelism");
        assertThatThrownBy(() -> new Argon2Cost(16, 1, 4)).hasMessageContaining("8 KiB per lane");
        assertThat(Argon2Cost.OWASP_MINIMUM).hasToString("m=19456,t=2,p=1");
    }
}
