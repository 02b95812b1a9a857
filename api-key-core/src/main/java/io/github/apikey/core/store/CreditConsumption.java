package io.github.apikey.core.store;

/**
 * What a store did when asked to consume one of a key's usage credits.
 *
 * @param outcome   what happened
 * @param remaining the credits left after the consumption, when {@code outcome} is {@code CONSUMED}; else 0
 */
public record CreditConsumption(Outcome outcome, long remaining) {

    public enum Outcome {
        /** One credit was consumed (after a due refill, if any). */
        CONSUMED,
        /** The key has no credits left; nothing changed. */
        EXHAUSTED,
        /** The key's use is not counted (any more); nothing changed. */
        NOT_COUNTED,
        /** No key has this id. */
        NOT_FOUND
    }

    public static CreditConsumption consumed(long remaining) {
        return new CreditConsumption(Outcome.CONSUMED, remaining);
    }

    public static final CreditConsumption EXHAUSTED = new CreditConsumption(Outcome.EXHAUSTED, 0);
    public static final CreditConsumption NOT_COUNTED = new CreditConsumption(Outcome.NOT_COUNTED, 0);
    public static final CreditConsumption NOT_FOUND = new CreditConsumption(Outcome.NOT_FOUND, 0);
}
