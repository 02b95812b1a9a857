package io.github.apikey.core.observation;

/**
 * Told about every verification of {@code ApiKeyService}, for metrics and traces: {@link #start()} as it begins, on
 * the verifying thread, and {@link Verifying#end} once as it ends, on the same thread. An adapter binds it to a
 * metrics or tracing library (the Spring Boot starter binds it to Micrometer); the core depends on none.
 *
 * <p>What an observer is told never includes the presented key, its secret or a hash: only the outcome, the path and,
 * once the secret matched, the key's public key id. Implementations must be fast and must not throw; the service
 * has {@link #NONE} by default, which costs nothing.
 */
@FunctionalInterface
public interface VerificationObserver {

    /** Observes nothing. */
    VerificationObserver NONE = new VerificationObserver() {

        @Override
        public Verifying start() {
            return Verifying.NONE;
        }

        @Override
        public String toString() {
            return "VerificationObserver.NONE";
        }
    };

    /** A verification begins; the returned handle is told how it ended. Never {@code null}. */
    Verifying start();

    /** One verification under way. */
    @FunctionalInterface
    interface Verifying {

        /** Ignores the end. */
        Verifying NONE = (outcome, path, keyId) -> {
        };

        /**
         * The verification ended.
         *
         * @param outcome how it ended
         * @param path    where it found its answer
         * @param keyId   the key's public key id once its secret matched, else {@code null} (an unknown or
         *                unproven key id is client input, and would let a client create any number of labels)
         */
        void end(VerificationOutcome outcome, VerificationPath path, String keyId);
    }

    /** Tells {@code first}, then {@code second}. */
    static VerificationObserver both(VerificationObserver first, VerificationObserver second) {
        if (first == NONE) {
            return second;
        }
        if (second == NONE) {
            return first;
        }
        return () -> {
            Verifying one = first.start();
            Verifying two = second.start();
            return (outcome, path, keyId) -> {
                // Ended in reverse order, as nested scopes close.
                two.end(outcome, path, keyId);
                one.end(outcome, path, keyId);
            };
        };
    }
}
