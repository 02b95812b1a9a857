package io.github.apikey.core.error;

/**
 * Every permit for hash verification is taken and none came free in time. Like an unavailable store it means
 * "try again shortly" (503), and says nothing about the presented key.
 */
public final class VerificationCapacityExceededException extends ApiKeyStoreException {

    public VerificationCapacityExceededException(String message) {
        super(message, null);
    }
}
