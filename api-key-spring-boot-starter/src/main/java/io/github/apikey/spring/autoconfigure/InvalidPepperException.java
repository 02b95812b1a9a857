package io.github.apikey.spring.autoconfigure;

/**
 * Start-up failed because {@code api-key.pepper} is missing or too short to be a secret worth the name.
 * {@link InvalidPepperFailureAnalyzer} turns it into advice. The message never holds the pepper.
 */
public class InvalidPepperException extends IllegalStateException {

    /** Shortest pepper accepted: 32 characters, as 'openssl rand -base64 24' makes, or longer. */
    public static final int MINIMUM_LENGTH = 32;

    private InvalidPepperException(String message) {
        super(message);
    }

    static InvalidPepperException missing() {
        return new InvalidPepperException("No API key pepper is configured: set the property 'api-key.pepper' "
                + "(environment variable API_KEY_PEPPER) to a long random secret");
    }

    static InvalidPepperException tooShort(int length) {
        return new InvalidPepperException("The API key pepper (property 'api-key.pepper', environment variable "
                + "API_KEY_PEPPER) is " + length + " characters long; it must be at least " + MINIMUM_LENGTH);
    }
}
