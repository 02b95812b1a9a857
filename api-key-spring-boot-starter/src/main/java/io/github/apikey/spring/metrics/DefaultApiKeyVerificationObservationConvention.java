package io.github.apikey.spring.metrics;

import io.micrometer.common.KeyValues;

/**
 * Observation {@value #NAME} (span "api key verification"), in the style of Spring Security's
 * {@code spring.security.authentications}: low-cardinality {@code outcome} and {@code path}, and the verified key's
 * {@code key.id} as a high-cardinality value (spans only, never a metric tag; {@code none} when no key was proved).
 */
public class DefaultApiKeyVerificationObservationConvention implements ApiKeyVerificationObservationConvention {

    public static final String NAME = "apikey.verification";

    private static final String UNKNOWN = "unknown";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(ApiKeyVerificationObservationContext context) {
        return "api key verification";
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ApiKeyVerificationObservationContext context) {
        return KeyValues.of("outcome", context.getOutcome() == null ? UNKNOWN : context.getOutcome().tagValue(),
                "path", context.getPath() == null ? UNKNOWN : context.getPath().tagValue());
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ApiKeyVerificationObservationContext context) {
        return KeyValues.of("key.id", context.getKeyId() == null ? MicrometerVerificationObserver.NO_KEY_ID
                : context.getKeyId());
    }
}
