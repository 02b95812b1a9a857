package io.github.apikey.spring.autoconfigure;

/**
 * Start-up failed because {@code api-key.pepper} is not set. {@link MissingPepperFailureAnalyzer} turns it into
 * advice.
 */
public class MissingPepperException extends IllegalStateException {

    public MissingPepperException() {
        super("No API key pepper is configured: set the property 'api-key.pepper' (environment variable "
                + "API_KEY_PEPPER) to a long random secret");
    }
}
