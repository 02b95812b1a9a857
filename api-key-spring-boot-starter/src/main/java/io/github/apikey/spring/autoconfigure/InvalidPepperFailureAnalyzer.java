package io.github.apikey.spring.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains a missing or short pepper at start-up the way Spring Boot explains a missing DataSource URL, with the
 * command that makes a good one.
 */
class InvalidPepperFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPepperException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidPepperException cause) {
        return new FailureAnalysis("API keys are hashed with a server-side pepper: " + cause.getMessage() + ".",
                "Set the environment variable API_KEY_PEPPER (or the property 'api-key.pepper') to a long random "
                        + "secret of at least " + InvalidPepperException.MINIMUM_LENGTH + " characters, for example "
                        + "the output of 'openssl rand -base64 48'. Keep it out of version control; changing it "
                        + "later invalidates every stored key.",
                cause);
    }
}
