package io.github.apikey.spring.metrics;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/** Names and key values of the {@code apikey.verification} observation; define a bean to replace the default. */
public interface ApiKeyVerificationObservationConvention
        extends ObservationConvention<ApiKeyVerificationObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ApiKeyVerificationObservationContext;
    }
}
