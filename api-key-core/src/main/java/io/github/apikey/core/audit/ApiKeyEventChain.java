package io.github.apikey.core.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hash chain of audit events. Each event's hash is the lowercase hex SHA-256 of the UTF-8 bytes of its canonical
 * form, a JSON array in {@link CanonicalJson}'s form:
 *
 * <pre>
 * ["api-key-event/1", sequence, occurredAt, action, outcome, apiKeyId, keyId, actorType, actor, clientAddress,
 *  details, previousHash]
 * </pre>
 *
 * {@code sequence} is a number; {@code occurredAt} is UTC with six fractional digits
 * ({@code 2026-11-28T14:53:12.123456Z}); {@code action}, {@code outcome} and {@code actorType} are wire names
 * ({@code update}, {@code not_found}, {@code api-key}); {@code apiKeyId}, {@code keyId} and {@code clientAddress} are
 * strings or {@code null}; {@code details} is the stored details object itself (not a string); {@code previousHash} is
 * the previous event's hash, or 64 zeros for the first event ever.
 *
 * <p>A purge deletes the oldest events and records a {@code purge} event whose details carry the sequence and hash of
 * the last deleted event ({@code purgedThroughSequence}, {@code purgedThroughHash}): the oldest remaining event's
 * previous hash must equal that anchor, so the chain stays verifiable from its oldest remaining event.
 */
public final class ApiKeyEventChain {

    public static final String GENESIS_HASH = "0".repeat(64);

    public static final String FORMAT = "api-key-event/1";

    public static final String PURGED_THROUGH_SEQUENCE = "purgedThroughSequence";
    public static final String PURGED_THROUGH_HASH = "purgedThroughHash";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final Pattern ANCHOR_SEQUENCE = Pattern.compile("\"" + PURGED_THROUGH_SEQUENCE + "\":(\\d+)");
    private static final Pattern ANCHOR_HASH = Pattern.compile("\"" + PURGED_THROUGH_HASH + "\":\"([0-9a-f]{64})\"");

    private ApiKeyEventChain() {
    }

    /** {@code instant} as the canonical form writes it. */
    public static String formatTime(Instant instant) {
        return TIME.format(instant);
    }

    /** The draft as event {@code sequence} after the event whose hash is {@code previousHash}. */
    public static ApiKeyEvent seal(ApiKeyEventDraft draft, long sequence, String previousHash) {
        String hash = hash(sequence, draft.occurredAt(), draft.action(), draft.outcome(), draft.apiKeyId(),
                draft.keyId(), draft.actor(), draft.details(), previousHash);
        return new ApiKeyEvent(sequence, draft.occurredAt(), draft.action(), draft.outcome(), draft.apiKeyId(),
                draft.keyId(), draft.actor(), draft.details(), previousHash, hash);
    }

    /** The hash the event should have, computed from its fields. */
    public static String expectedHash(ApiKeyEvent event) {
        return hash(event.sequence(), event.occurredAt(), event.action(), event.outcome(), event.apiKeyId(),
                event.keyId(), event.actor(), event.details(), event.previousHash());
    }

    /** The text whose SHA-256 is the event's hash. */
    public static String canonicalForm(ApiKeyEvent event) {
        return canonicalForm(event.sequence(), event.occurredAt(), event.action(), event.outcome(), event.apiKeyId(),
                event.keyId(), event.actor(), event.details(), event.previousHash());
    }

    private static String hash(long sequence, Instant occurredAt, ApiKeyEventAction action,
                               ApiKeyEventOutcome outcome, UUID apiKeyId, String keyId, ApiKeyActor actor,
                               String details, String previousHash) {
        return sha256(canonicalForm(sequence, occurredAt, action, outcome, apiKeyId, keyId, actor, details,
                previousHash));
    }

    private static String canonicalForm(long sequence, Instant occurredAt, ApiKeyEventAction action,
                                        ApiKeyEventOutcome outcome, UUID apiKeyId, String keyId, ApiKeyActor actor,
                                        String details, String previousHash) {
        StringBuilder form = new StringBuilder("[");
        CanonicalJson.quote(form, FORMAT);
        form.append(',').append(sequence).append(',');
        CanonicalJson.quote(form, formatTime(occurredAt));
        form.append(',');
        CanonicalJson.quote(form, action.wireName());
        form.append(',');
        CanonicalJson.quote(form, outcome.wireName());
        form.append(',');
        CanonicalJson.writeValue(form, apiKeyId == null ? null : apiKeyId.toString());
        form.append(',');
        CanonicalJson.writeValue(form, keyId);
        form.append(',');
        CanonicalJson.quote(form, actor.type().wireName());
        form.append(',');
        CanonicalJson.quote(form, actor.name());
        form.append(',');
        CanonicalJson.writeValue(form, actor.clientAddress());
        form.append(',').append(details).append(',');
        CanonicalJson.quote(form, previousHash);
        return form.append(']').toString();
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /** The details of a purge event: its anchor, how many events it deleted and the cut-off time. */
    public static Map<String, Object> purgeDetails(long throughSequence, String throughHash, long deleted,
                                                   Instant cutoff) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put(PURGED_THROUGH_SEQUENCE, throughSequence);
        details.put(PURGED_THROUGH_HASH, throughHash);
        details.put("deleted", deleted);
        details.put("olderThan", formatTime(cutoff));
        return details;
    }

    /**
     * Checks events fed in chain order, oldest first: each one's hash, each one's link to the one before, the oldest's
     * link to the start of the chain or to a purge's anchor, and the newest against the chain head.
     */
    public static final class Verifier {

        private final ChainHead head;
        private ApiKeyEvent first;
        private ApiKeyEvent previous;
        private long checked;
        private boolean anchored;
        private Long brokenAt;
        private String problem;

        /** @param head the chain head read before the events; events after it are not checked */
        public Verifier(ChainHead head) {
            this.head = Objects.requireNonNull(head, "head");
        }

        /** @return whether more events are wanted: false once past the head or broken */
        public boolean accept(ApiKeyEvent event) {
            if (event.sequence() > head.sequence() || brokenAt != null) {
                return false;
            }
            checked++;
            if (first == null) {
                first = event;
                anchored = event.sequence() == 1 && GENESIS_HASH.equals(event.previousHash());
            } else if (event.sequence() != previous.sequence() + 1) {
                return broken(previous.sequence() + 1, "event " + (previous.sequence() + 1) + " is missing");
            } else if (!event.previousHash().equals(previous.hash())) {
                return broken(event.sequence(), "its previous hash is not the hash of event " + previous.sequence());
            }
            if (!expectedHash(event).equals(event.hash())) {
                return broken(event.sequence(), "its hash does not match its fields: the event was edited");
            }
            if (!anchored && event.action() == ApiKeyEventAction.PURGE) {
                anchored = anchors(event, first);
            }
            previous = event;
            return true;
        }

        private boolean broken(long sequence, String what) {
            brokenAt = sequence;
            problem = "Event " + sequence + ": " + what;
            return false;
        }

        private static boolean anchors(ApiKeyEvent purge, ApiKeyEvent oldest) {
            Matcher sequence = ANCHOR_SEQUENCE.matcher(purge.details());
            Matcher hash = ANCHOR_HASH.matcher(purge.details());
            return sequence.find() && hash.find() && Long.parseLong(sequence.group(1)) == oldest.sequence() - 1
                    && hash.group(1).equals(oldest.previousHash());
        }

        public ChainVerification result() {
            Long firstSequence = first == null ? null : first.sequence();
            Long lastSequence = previous == null ? null : previous.sequence();
            if (first != null && !anchored) {
                // Earlier than any other break: the oldest events were deleted other than by a purge.
                return new ChainVerification(false, checked, firstSequence, lastSequence, first.sequence(),
                        "Event " + first.sequence() + ": " + (first.sequence() == 1
                                ? "the first event does not start the chain"
                                : "events before it were deleted, and no purge event records their last hash"));
            }
            if (brokenAt != null) {
                return new ChainVerification(false, checked, firstSequence, lastSequence, brokenAt, problem);
            }
            long last = previous == null ? 0 : previous.sequence();
            String lastHash = previous == null ? GENESIS_HASH : previous.hash();
            if (previous != null && last == head.sequence() && !lastHash.equals(head.hash())) {
                return new ChainVerification(false, checked, firstSequence, lastSequence, last, "Event " + last
                        + ": its hash is not the one the chain head records: the event was edited");
            }
            if (last != head.sequence() || !lastHash.equals(head.hash())) {
                long missing = Math.min(last, head.sequence()) + 1;
                return new ChainVerification(false, checked, firstSequence, lastSequence, missing,
                        "Event " + missing + ": the chain head records event " + head.sequence()
                                + ", but the newest stored event is " + last + ": events were deleted from the end");
            }
            return new ChainVerification(true, checked, firstSequence, lastSequence, null, null);
        }
    }
}
