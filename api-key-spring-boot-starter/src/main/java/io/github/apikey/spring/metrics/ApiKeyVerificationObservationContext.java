package io.github.apikey.spring.metrics;

import io.github.apikey.core.observation.VerificationOutcome;
import io.github.apikey.core.observation.VerificationPath;

import io.micrometer.observation.Observation;

/**
 * What an observation of one API key verification knows: how it ended, where it was answered and, once the secret
 * matched, the key's public key id. Never the presented key, its secret or a hash.
 */
public final class ApiKeyVerificationObservationContext extends Observation.Context {

    private VerificationOutcome outcome;
    private VerificationPath path;
    private String keyId;

    /** {@code null} until the verification ended. */
    public VerificationOutcome getOutcome() {
        return outcome;
    }

    /** {@code null} until the verification ended. */
    public VerificationPath getPath() {
        return path;
    }

    /** The verified key's key id, or {@code null} when no key was proved. */
    public String getKeyId() {
        return keyId;
    }

    void ended(VerificationOutcome outcome, VerificationPath path, String keyId) {
        this.outcome = outcome;
        this.path = path;
        this.keyId = keyId;
    }
}
