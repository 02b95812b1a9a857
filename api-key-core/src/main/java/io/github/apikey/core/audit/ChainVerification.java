package io.github.apikey.core.audit;

/**
 * The outcome of checking the audit chain.
 *
 * @param valid          whether every link holds
 * @param checked        how many events were checked
 * @param firstSequence  the oldest event's sequence, {@code null} without events
 * @param lastSequence   the newest event's sequence, {@code null} without events
 * @param brokenAt       the sequence of the first event whose link does not hold (for events deleted from the end, the
 *                       first missing one); {@code null} when valid
 * @param problem        what is wrong there; {@code null} when valid
 */
public record ChainVerification(boolean valid, long checked, Long firstSequence, Long lastSequence, Long brokenAt,
                                String problem) {
}
