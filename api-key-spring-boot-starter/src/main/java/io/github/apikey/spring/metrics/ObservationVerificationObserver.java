package io.github.apikey.spring.metrics;

import io.github.apikey.core.observation.VerificationObserver;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;

import java.util.Objects;

/**
 * Wraps each verification in an {@link Observation} ({@link DefaultApiKeyVerificationObservationConvention#NAME}),
 * current on the verifying thread while it runs, so that a tracing bridge reports it as a span with the store's
 * queries inside. A refusal is not an error of the observation: its {@code outcome} says what happened.
 */
public final class ObservationVerificationObserver implements VerificationObserver {

    private static final ApiKeyVerificationObservationConvention DEFAULT =
            new DefaultApiKeyVerificationObservationConvention();

    private final ObservationRegistry registry;
    private final ApiKeyVerificationObservationConvention convention;

    /** @param convention a convention that replaces the default, or {@code null} */
    public ObservationVerificationObserver(ObservationRegistry registry,
                                           ApiKeyVerificationObservationConvention convention) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.convention = convention;
    }

    @Override
    public Verifying start() {
        if (registry.isNoop()) {
            return Verifying.NONE;
        }
        ApiKeyVerificationObservationContext context = new ApiKeyVerificationObservationContext();
        Observation observation = Observation.createNotStarted(convention, DEFAULT, () -> context, registry).start();
        Observation.Scope scope = observation.openScope();
        return (outcome, path, keyId) -> {
            try {
                context.ended(outcome, path, keyId);
            } finally {
                scope.close();
                observation.stop();
            }
        };
    }

    @Override
    public String toString() {
        return "ObservationVerificationObserver[" + registry + "]";
    }
}
