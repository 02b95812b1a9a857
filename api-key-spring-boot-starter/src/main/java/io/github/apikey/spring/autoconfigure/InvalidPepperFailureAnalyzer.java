package io.github.apikey.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a missing pepper at start-up the way Spring Boot explains a missing DataSource URL.
 */
class MissingPepperFailureAnalyzer extends AbstractFailureAnalyzer<MissingPepperException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, MissingPepperException cause) {
        return new FailureAnalysis(
                "API keys are hashed with a server-side pepper, and none is configured (property 'api-key.pepper').",
                "Set the environment variable API_KEY_PEPPER (or the property 'api-key.pepper') to a long random "
                        + "secret, for example the output of 'openssl rand -base64 48'. Keep it out of version "
                        + "control; changing it later invalidates every stored key.",
                cause);
    }
}
