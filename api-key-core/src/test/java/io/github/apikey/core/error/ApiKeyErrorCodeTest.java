package io.github.apikey.core.error;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error carries the code that adapters answer with, so none has to match exception types. */
class ApiKeyErrorCodeTest {

    @Test
    void eachErrorCarriesItsCode() {
        assertThat(new KeyNotProvidedException().getCode()).isEqualTo(ApiKeyErrorCode.MISSING);
        assertThat(new InvalidKeyException().getCode()).isEqualTo(ApiKeyErrorCode.INVALID);
        assertThat(new KeyInactiveException().getCode()).isEqualTo(ApiKeyErrorCode.INACTIVE);
        assertThat(new KeyExpiredException().getCode()).isEqualTo(ApiKeyErrorCode.EXPIRED);
        assertThat(new InsufficientScopesException(List.of("write")).getCode())
                .isEqualTo(ApiKeyErrorCode.INSUFFICIENT_SCOPE);
        assertThat(new ApiKeyStoreException("down", null).getCode()).isEqualTo(ApiKeyErrorCode.UNAVAILABLE);
        assertThat(new VerificationCapacityExceededException("busy").getCode()).isEqualTo(ApiKeyErrorCode.UNAVAILABLE);
        assertThat(new ApiKeyNotFoundException(UUID.randomUUID()).getCode()).isEqualTo(ApiKeyErrorCode.NOT_FOUND);
        assertThat(new ApiKeyValidationException("name", "blank").getCode()).isEqualTo(ApiKeyErrorCode.VALIDATION);
        assertThat(new DuplicateApiKeyException("taken").getCode()).isEqualTo(ApiKeyErrorCode.DUPLICATE);
    }
}
