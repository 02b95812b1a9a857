package io.github.apikey.core.service;

import io.github.apikey.core.audit.ApiKeyActor;
import io.github.apikey.core.audit.ApiKeyActorResolver;
import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventAction;
import io.github.apikey.core.audit.ApiKeyEventChain;
import io.github.apikey.core.audit.ApiKeyEventDraft;
import io.github.apikey.core.audit.ApiKeyEventListener;
import io.github.apikey.core.audit.ApiKeyEventOutcome;
import io.github.apikey.core.audit.ChainVerification;
import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.KeyMetadata;
import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.KeyNotProvidedException;
import io.github.apikey.core.error.KeyRestrictedException;
import io.github.apikey.core.error.RateLimitExceededException;
import io.github.apikey.core.error.UsageExceededException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.format.ParsedApiKey;
import io.github.apikey.core.hash.ApiKeyHasher;
import io.github.apikey.core.observation.VerificationObserver;
import io.github.apikey.core.observation.VerificationOutcome;
import io.github.apikey.core.observation.VerificationPath;
import io.github.apikey.core.ratelimit.Bucket4jRateLimiter;
import io.github.apikey.core.ratelimit.RateLimitDecision;
import io.github.apikey.core.ratelimit.RateLimitPolicy;
import io.github.apikey.core.ratelimit.RateLimiter;
import io.github.apikey.core.store.ApiKeyEventFilter;
import io.github.apikey.core.store.ApiKeyEventStore;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.CreditConsumption;
import io.github.apikey.core.usage.UsageRecorder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Issues, verifies and manages API keys. Thread-safe.
 *
 * <p>Verification follows one order, so that a caller learns nothing it should not: parse (no store access),
 * look up by key id, check the secret's hash, and only then the key's state and scopes. An unknown key id costs
 * the same hash work as a wrong secret, so response times do not reveal which key ids exist. A key that passes
 * every check then consumes one usage credit, if its use is counted.
 *
 * <p>Rotation keeps the key's id and key id (the part of the key that shows in logs and dashboards) and replaces
 * its secret; the previous secret keeps authenticating until the grace period ends, on every instance, because the
 * end is a time every verification checks rather than an event that has to reach each instance.
 *
 * <p>With an {@link ApiKeyEventStore} ({@link Builder#audit}), every management operation (create, import, update,
 * activate, deactivate, rotate, delete, bootstrap) records exactly one event: on success in the same unit of work as
 * the change (so a change that rolls back leaves no event), and when it fails for the caller's input (an unknown id, a
 * value that breaks a rule, an import clash) with that outcome. Failures of the store itself record nothing.
 */
public final class ApiKeyService {

    private static final int CREATE_ATTEMPTS = 3;

    private final ApiKeyStore store;
    private final ApiKeyHasher hasher;
    private final ApiKeyFormat format;
    private final Clock clock;
    private final VerifiedKeyCache cache;
    private final UsageRecorder usageRecorder;
    private final int maxMetadataBytes;
    private final Duration maxGracePeriod;
    private final RateLimiter rateLimiter;
    private final RateLimitPolicy rateLimitPolicy;
    private final ApiKeyEventStore events;
    private final ApiKeyActorResolver actors;
    private final ApiKeyEventListener eventListener;
    private final VerificationObserver observer;
    private volatile String decoyHash;

    private static final Logger log = Logger.getLogger(ApiKeyService.class.getName());
    private static final int CHAIN_PAGE = 500;

    public ApiKeyService(ApiKeyStore store, ApiKeyHasher hasher) {
        this(store, hasher, new ApiKeyFormat(), Clock.systemUTC());
    }

    public ApiKeyService(ApiKeyStore store, ApiKeyHasher hasher, ApiKeyFormat format, Clock clock) {
        this(builder(store, hasher).format(format).clock(clock));
    }

    private ApiKeyService(Builder builder) {
        this.store = builder.store;
        this.hasher = builder.hasher;
        this.format = builder.format;
        this.clock = builder.clock;
        this.cache = builder.cache;
        this.usageRecorder = builder.usageRecorder != null ? builder.usageRecorder : store::recordUse;
        this.maxMetadataBytes = builder.maxMetadataBytes;
        this.maxGracePeriod = builder.maxGracePeriod;
        this.rateLimiter = builder.rateLimiter != null ? builder.rateLimiter : defaultRateLimiter();
        this.rateLimitPolicy = builder.rateLimitPolicy;
        this.events = builder.events;
        this.actors = builder.actors;
        this.eventListener = builder.eventListener;
        this.observer = builder.observer;
    }

    /**
     * Bucket4j in memory when it is on the class path. Without it, a key to which a rate limit applies is refused
     * as unverifiable rather than let through unlimited.
     */
    private static RateLimiter defaultRateLimiter() {
        try {
            Class.forName("io.github.bucket4j.Bucket", false, ApiKeyService.class.getClassLoader());
            Class.forName("com.github.benmanes.caffeine.cache.Caffeine", false, ApiKeyService.class.getClassLoader());
            return new Bucket4jRateLimiter();
        } catch (ClassNotFoundException | LinkageError absent) {
            return (keyId, limits) -> {
                throw new ApiKeyStoreException("A rate limit applies to this key, but no rate limiter is configured:"
                        + " add com.bucket4j:bucket4j_jdk17-core and Caffeine, or pass one to the builder", null);
            };
        }
    }

    /**
     * A service with optional parts: a {@link VerifiedKeyCache} (none by default) and a {@link UsageRecorder}
     * (by default every use is written to the store at once).
     */
    public static Builder builder(ApiKeyStore store, ApiKeyHasher hasher) {
        return new Builder(store, hasher);
    }

    public ApiKeyFormat getFormat() {
        return format;
    }

    /** The hasher keys are hashed and verified with, as given to the builder (a bounded one, in the starter). */
    public ApiKeyHasher getHasher() {
        return hasher;
    }

    /**
     * Creates and stores a key.
     *
     * @return the stored key and its plaintext, which exists nowhere else
     * @throws ApiKeyValidationException if the request breaks a rule of {@link ApiKeyRules}
     */
    public CreatedApiKey create(NewApiKey request) {
        return create(request, ApiKeyEventAction.CREATE, currentActor());
    }

    /**
     * Creates a key as {@link #create} does, recorded as the {@code bootstrap} of an installation by the
     * {@link ApiKeyActor#SYSTEM}: for the key an application creates for its first administrator at start-up.
     */
    public CreatedApiKey bootstrapCreate(NewApiKey request) {
        return create(request, ApiKeyEventAction.BOOTSTRAP, ApiKeyActor.SYSTEM);
    }

    private CreatedApiKey create(NewApiKey request, ApiKeyEventAction action, ApiKeyActor actor) {
        Objects.requireNonNull(request, "request");
        Instant now = now();
        try {
            return create(request, action, actor, now);
        } catch (ApiKeyValidationException invalid) {
            recordFailure(now, action, null, null, ApiKeyEventOutcome.INVALID, actor, invalid);
            throw invalid;
        }
    }

    private CreatedApiKey create(NewApiKey request, ApiKeyEventAction action, ApiKeyActor actor, Instant now) {
        ApiKeyRules.requireName(request.name());
        ApiKeyRules.requireDescription(request.description());
        ApiKeyRules.requireScopes(request.scopes());
        Instant expiresAt = ApiKeyRules.requireFutureExpiry(request.expiresAt(), now);
        String ownerId = ApiKeyRules.requireOwnerId(request.ownerId());
        Map<String, Object> metadata = ApiKeyRules.requireMetadata(request.metadata(), maxMetadataBytes);
        List<String> allowedIps = ApiKeyRules.requireAllowedIps(request.allowedIps());
        List<String> allowedOrigins = ApiKeyRules.requireAllowedOrigins(request.allowedOrigins());
        CreditRefill refill = ApiKeyRules.requireRefill(request.refill());
        List<RateLimit> rateLimits = ApiKeyRules.requireRateLimits(request.rateLimits(), "rateLimits");
        Long remaining = ApiKeyRules.requireRemaining(request.remaining() == null && refill != null
                ? Long.valueOf(refill.amount()) : request.remaining());
        DuplicateApiKeyException lastClash = null;
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            String keyId = format.newKeyId();
            String secret = format.newSecret();
            ApiKey key = newEntity(keyId, secret, request.name(), request.description(), request.active(),
                    request.scopes(), expiresAt, now).toBuilder()
                    .ownerId(ownerId).metadata(metadata).allowedIps(allowedIps).allowedOrigins(allowedOrigins)
                    .remaining(remaining).refill(remaining == null ? null : refill)
                    .lastRefillAt(remaining == null ? null : now).rateLimits(rateLimits)
                    .build();
            try {
                ApiKey stored = audited(() -> store.create(key), created -> draft(now, action,
                        ApiKeyEventOutcome.SUCCESS, created, actor, keyDetails(created, action, "generated")));
                return new CreatedApiKey(stored, format.format(keyId, secret));
            } catch (DuplicateApiKeyException clash) {
                // 64 random bits make a key id clash all but impossible; a fresh one settles it.
                lastClash = clash;
            }
        }
        throw lastClash;
    }

    /**
     * Stores an existing full key, for example one kept in an environment variable or issued by keyshield, unless
     * its key id is already stored with the same secret.
     *
     * @return the newly stored key, or empty if it was stored already
     * @throws InvalidKeyException if {@code fullKey} is not of this service's format
     * @throws DuplicateApiKeyException if its key id is stored with a different secret
     */
    public Optional<ApiKey> importKey(String name, String fullKey, Collection<String> scopes) {
        return importKey(name, fullKey, scopes, ApiKeyEventAction.IMPORT, currentActor());
    }

    /**
     * Imports a key as {@link #importKey} does, recorded as the {@code bootstrap} of an installation by the
     * {@link ApiKeyActor#SYSTEM}. A key already stored with the same secret changes nothing and records nothing.
     */
    public Optional<ApiKey> bootstrapImport(String name, String fullKey, Collection<String> scopes) {
        return importKey(name, fullKey, scopes, ApiKeyEventAction.BOOTSTRAP, ApiKeyActor.SYSTEM);
    }

    private Optional<ApiKey> importKey(String name, String fullKey, Collection<String> scopes,
                                       ApiKeyEventAction action, ApiKeyActor actor) {
        Instant now = now();
        ParsedApiKey parsed;
        try {
            parsed = format.parse(fullKey);
        } catch (InvalidKeyException malformed) {
            recordFailure(now, action, null, null, ApiKeyEventOutcome.INVALID, actor, Map.of("field", "apiKey"),
                    malformed);
            throw malformed;
        }
        Collection<String> validScopes;
        try {
            ApiKeyRules.requireName(name);
            validScopes = ApiKeyRules.requireScopes(scopes == null ? List.of() : scopes);
        } catch (ApiKeyValidationException invalid) {
            recordFailure(now, action, null, parsed.keyId(), ApiKeyEventOutcome.INVALID, actor, invalid);
            throw invalid;
        }
        Optional<ApiKey> existing = store.findByKeyId(parsed.keyId());
        if (existing.isPresent()) {
            if (hasher.verify(existing.get().getKeyHash(), parsed.secret())) {
                return Optional.empty();
            }
            DuplicateApiKeyException clash = new DuplicateApiKeyException("API key id " + parsed.keyId()
                    + " is already stored with a different secret");
            recordFailure(now, action, existing.get().getId(), parsed.keyId(), ApiKeyEventOutcome.CONFLICT, actor,
                    Map.of(), clash);
            throw clash;
        }
        ApiKey key = newEntity(parsed.keyId(), parsed.secret(), name, null, true, validScopes, null, now);
        return Optional.of(audited(() -> store.create(key), created -> draft(now, action,
                ApiKeyEventOutcome.SUCCESS, created, actor, keyDetails(created, action, "imported"))));
    }

    /** @throws ApiKeyNotFoundException if no key has this id */
    public ApiKey get(UUID id) {
        return store.findById(id).orElseThrow(() -> new ApiKeyNotFoundException(id));
    }

    /** A page of keys, newest first. */
    public List<ApiKey> list(int offset, int limit) {
        ApiKeyFilter.requireValidPage(offset, limit);
        return store.list(offset, limit);
    }

    public List<ApiKey> find(ApiKeyFilter filter) {
        return store.find(Objects.requireNonNull(filter, "filter"));
    }

    public long count(ApiKeyFilter filter) {
        return store.count(Objects.requireNonNull(filter, "filter"));
    }

    /**
     * Applies {@code changes} to key {@code id}. Only the fields set in {@code changes} are written, so concurrent
     * changes to other fields, here or on another instance, are kept.
     *
     * @throws ApiKeyNotFoundException if no key has this id
     * @throws ApiKeyValidationException if a changed field breaks a rule of {@link ApiKeyRules}
     */
    public ApiKey update(UUID id, ApiKeyChanges changes) {
        return update(id, changes, ApiKeyEventAction.UPDATE);
    }

    private ApiKey update(UUID id, ApiKeyChanges changes, ApiKeyEventAction action) {
        Objects.requireNonNull(changes, "changes");
        ApiKeyActor actor = currentActor();
        Instant now = now();
        ApiKeyChanges valid;
        try {
            valid = validate(changes, now);
        } catch (ApiKeyValidationException invalid) {
            recordFailure(now, action, id, null, ApiKeyEventOutcome.INVALID, actor, invalid);
            throw invalid;
        }
        Map<String, Object> details = Map.of("changed", changedFields(valid));
        Optional<ApiKey> updated = audited(() -> valid.isEmpty() ? store.findById(id)
                        : store.update(id, withCreditBookkeeping(id, valid, now)),
                result -> result.map(key -> draft(now, action, ApiKeyEventOutcome.SUCCESS, key, actor, details))
                        .orElse(null));
        if (updated.isEmpty()) {
            throw notFound(now, action, id, actor);
        }
        if (!valid.isEmpty()) {
            cache.invalidate(id);
        }
        return updated.get();
    }

    private ApiKeyChanges validate(ApiKeyChanges changes, Instant now) {
        ApiKeyChanges.Builder valid = ApiKeyChanges.builder();
        changes.name().ifPresent(name -> valid.name(ApiKeyRules.requireName(name)));
        changes.description().ifPresent(description ->
                valid.description(ApiKeyRules.requireDescription(description.orElse(null))));
        changes.active().ifPresent(valid::active);
        changes.scopes().ifPresent(scopes -> valid.scopes(new LinkedHashSet<>(ApiKeyRules.requireScopes(scopes))));
        changes.expiresAt().ifPresent(expiresAt ->
                valid.expiresAt(ApiKeyRules.requireFutureExpiry(expiresAt.orElse(null), now)));
        changes.ownerId().ifPresent(ownerId -> valid.ownerId(ApiKeyRules.requireOwnerId(ownerId.orElse(null))));
        changes.metadata().ifPresent(metadata ->
                valid.metadata(ApiKeyRules.requireMetadata(metadata, maxMetadataBytes)));
        changes.allowedIps().ifPresent(ips -> valid.allowedIps(ApiKeyRules.requireAllowedIps(ips)));
        changes.allowedOrigins().ifPresent(origins ->
                valid.allowedOrigins(ApiKeyRules.requireAllowedOrigins(origins)));
        changes.remaining().ifPresent(remaining ->
                valid.remaining(ApiKeyRules.requireRemaining(remaining.orElse(null))));
        changes.refill().ifPresent(refill -> valid.refill(ApiKeyRules.requireRefill(refill.orElse(null))));
        changes.lastRefillAt().ifPresent(at -> valid.lastRefillAt(at.orElse(null)));
        changes.rateLimits().ifPresent(limits ->
                valid.rateLimits(ApiKeyRules.requireRateLimits(limits, "rateLimits")));
        return valid.build();
    }

    /**
     * Setting credits or their refill starts the refill period afresh, so that a refill due under the old settings
     * does not overwrite the new count; a refill given to a key whose use is not counted yet starts it with the
     * refill amount.
     */
    private ApiKeyChanges withCreditBookkeeping(UUID id, ApiKeyChanges changes, Instant now) {
        if (changes.remaining().isEmpty() && changes.refill().isEmpty()) {
            return changes;
        }
        ApiKeyChanges.Builder amended = changes.toBuilder().lastRefillAt(now);
        Optional<CreditRefill> newRefill = changes.refill().flatMap(refill -> refill);
        // A key that is gone gets no amendment: the update that follows finds no row either.
        if (changes.remaining().isEmpty() && newRefill.isPresent()
                && !store.findById(id).map(ApiKey::hasUsageCredits).orElse(true)) {
            amended.remaining(newRefill.get().amount());
        }
        return amended.build();
    }

    /**
     * Replaces the secret of key {@code id}, keeping its id, key id, name, scopes, owner, restrictions and credits.
     * The previous secret keeps authenticating for {@code gracePeriod} (zero or {@code null}: not at all); a
     * previous secret still in its grace period from an earlier rotation stops at once.
     *
     * @return the key after the rotation and its new plaintext, which exists nowhere else
     * @throws ApiKeyNotFoundException if no key has this id
     * @throws ApiKeyValidationException if the grace period is negative or longer than the service allows
     */
    public CreatedApiKey rotate(UUID id, Duration gracePeriod) {
        ApiKeyActor actor = currentActor();
        Instant now = now();
        Duration grace;
        try {
            grace = ApiKeyRules.requireGracePeriod(gracePeriod, maxGracePeriod);
        } catch (ApiKeyValidationException invalid) {
            recordFailure(now, ApiKeyEventAction.ROTATE, id, null, ApiKeyEventOutcome.INVALID, actor, invalid);
            throw invalid;
        }
        ApiKey current = store.findById(id).orElseThrow(() -> notFound(now, ApiKeyEventAction.ROTATE, id, actor));
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("gracePeriod", grace.toString());
        details.put("previousSecretExpiresAt", grace.isZero() ? null : ApiKeyEventChain.formatTime(now.plus(grace)));
        DuplicateApiKeyException lastClash = null;
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            String secret = format.newSecret();
            SecretRotation rotation = new SecretRotation(hasher.hash(secret), secret.substring(0, 4),
                    secret.substring(secret.length() - 4), now, now.plus(grace));
            try {
                Optional<ApiKey> result = audited(() -> store.rotate(id, rotation), rotated -> rotated.map(key ->
                        draft(now, ApiKeyEventAction.ROTATE, ApiKeyEventOutcome.SUCCESS, key, actor, details))
                        .orElse(null));
                ApiKey rotated = result.orElseThrow(() -> notFound(now, ApiKeyEventAction.ROTATE, id, actor));
                cache.invalidate(id);
                return new CreatedApiKey(rotated, format.format(current.getKeyId(), secret));
            } catch (DuplicateApiKeyException clash) {
                lastClash = clash;
            }
        }
        throw lastClash;
    }

    /** Lets key {@code id} authenticate again; does nothing more if it already can. */
    public ApiKey activate(UUID id) {
        return update(id, ApiKeyChanges.builder().active(true).build(), ApiKeyEventAction.ACTIVATE);
    }

    /** Stops key {@code id} from authenticating; does nothing more if it already cannot. */
    public ApiKey deactivate(UUID id) {
        return update(id, ApiKeyChanges.builder().active(false).build(), ApiKeyEventAction.DEACTIVATE);
    }

    /** @throws ApiKeyNotFoundException if no key has this id */
    public void delete(UUID id) {
        ApiKeyActor actor = currentActor();
        Instant now = now();
        // With an audit trail the key is read first, in the same unit of work, so that its event names its key id.
        Optional<Optional<ApiKey>> deleted = audited(() -> {
            Optional<ApiKey> key = events == null ? Optional.empty() : store.findById(id);
            return store.deleteById(id) ? Optional.of(key) : Optional.<Optional<ApiKey>>empty();
        }, result -> result.map(key -> ApiKeyEventDraft.of(now, ApiKeyEventAction.DELETE, ApiKeyEventOutcome.SUCCESS,
                id, key.map(ApiKey::getKeyId).orElse(null), actor, Map.of())).orElse(null));
        cache.invalidate(id);
        if (deleted.isEmpty()) {
            throw notFound(now, ApiKeyEventAction.DELETE, id, actor);
        }
    }

    /** Whether management operations are recorded: the service was built with an event store. */
    public boolean isAuditEnabled() {
        return events != null;
    }

    /**
     * Recorded events matching {@code filter}, newest first.
     *
     * @throws IllegalStateException if the audit trail is off
     */
    public List<ApiKeyEvent> findEvents(ApiKeyEventFilter filter) {
        return requireEvents().find(Objects.requireNonNull(filter, "filter"));
    }

    /** How many recorded events match {@code filter}, ignoring its page. */
    public long countEvents(ApiKeyEventFilter filter) {
        return requireEvents().count(Objects.requireNonNull(filter, "filter"));
    }

    /**
     * Checks the whole audit chain from its oldest stored event to the chain head read first: every event's hash, every
     * link, the oldest event's anchor (the start of the chain, or the purge that deleted the events before it) and the
     * head. Events appended while it runs are left for the next check.
     */
    public ChainVerification verifyEvents() {
        ApiKeyEventStore store = requireEvents();
        ChainVerification result = verifyChain(store);
        // A purge, on any instance, between two pages deletes events this check was about to read, and the gap looks
        // like a deletion. A purge moves the chain's start: when it moved, the check runs again from the new start
        // (which proves the purge's anchor), a few times at most, since purges are rare.
        for (int again = 0; again < 3 && !result.valid() && result.firstSequence() != null
                && oldestStoredSequence(store) > result.firstSequence(); again++) {
            result = verifyChain(store);
        }
        return result;
    }

    private static long oldestStoredSequence(ApiKeyEventStore store) {
        List<ApiKeyEvent> oldest = store.chain(0, 1);
        return oldest.isEmpty() ? Long.MAX_VALUE : oldest.get(0).sequence();
    }

    private static ChainVerification verifyChain(ApiKeyEventStore store) {
        ApiKeyEventChain.Verifier verifier = new ApiKeyEventChain.Verifier(store.head());
        long after = 0;
        while (true) {
            List<ApiKeyEvent> page = store.chain(after, CHAIN_PAGE);
            for (ApiKeyEvent event : page) {
                if (!verifier.accept(event)) {
                    return verifier.result();
                }
                after = event.sequence();
            }
            if (page.size() < CHAIN_PAGE) {
                return verifier.result();
            }
        }
    }

    /**
     * Deletes the events older than {@code retention} and records the purge, which keeps the chain verifiable (see
     * {@link ApiKeyEventStore#purge}). Instances running it at the same moment delete once.
     *
     * @return the purge event, or empty if no event was that old
     */
    public Optional<ApiKeyEvent> purgeEvents(Duration retention) {
        ApiKeyEventStore store = requireEvents();
        if (retention == null || retention.isNegative()) {
            throw new IllegalArgumentException("retention must be zero or positive, was " + retention);
        }
        Instant now = now();
        ApiKeyEventDraft purge = ApiKeyEventDraft.of(now, ApiKeyEventAction.PURGE, ApiKeyEventOutcome.SUCCESS, null,
                null, ApiKeyActor.SYSTEM, Map.of());
        Optional<ApiKeyEvent> recorded = store.withChainLock(() -> store.purge(now.minus(retention), purge));
        recorded.ifPresent(this::tell);
        return recorded;
    }

    private ApiKeyEventStore requireEvents() {
        if (events == null) {
            throw new IllegalStateException("The audit trail is off: this service was built without an event store");
        }
        return events;
    }

    private ApiKeyActor currentActor() {
        return events == null ? ApiKeyActor.SYSTEM : actors.currentActor();
    }

    /**
     * Runs {@code change} and appends the event {@code event} makes of its result (none for {@code null}) in one unit of
     * work holding the chain's lock; tells the listener once it returned.
     */
    private <T> T audited(Supplier<T> change, Function<T, ApiKeyEventDraft> event) {
        if (events == null) {
            return change.get();
        }
        List<ApiKeyEvent> recorded = new ArrayList<>(1);
        T result = events.withChainLock(() -> {
            T value = change.get();
            ApiKeyEventDraft draft = event.apply(value);
            if (draft != null) {
                recorded.add(events.append(draft));
            }
            return value;
        });
        recorded.forEach(this::tell);
        return result;
    }

    private void tell(ApiKeyEvent event) {
        try {
            eventListener.onEvent(event);
        } catch (RuntimeException failed) {
            log.log(Level.WARNING, "An API key event listener failed on event " + event.sequence(), failed);
        }
    }

    private ApiKeyNotFoundException notFound(Instant now, ApiKeyEventAction action, UUID id, ApiKeyActor actor) {
        ApiKeyNotFoundException notFound = new ApiKeyNotFoundException(id);
        recordFailure(now, action, id, null, ApiKeyEventOutcome.NOT_FOUND, actor, Map.of(), notFound);
        return notFound;
    }

    private void recordFailure(Instant now, ApiKeyEventAction action, UUID id, String keyId,
                               ApiKeyEventOutcome outcome, ApiKeyActor actor, ApiKeyValidationException invalid) {
        // The field only: a value that broke a rule may be anything, a pasted secret included.
        recordFailure(now, action, id, keyId, outcome, actor, invalid.getField() == null ? Map.of()
                : Map.of("field", invalid.getField()), invalid);
    }

    /** Records a failed operation in a unit of work of its own; a failure to record it is added to the failure. */
    private void recordFailure(Instant now, ApiKeyEventAction action, UUID id, String keyId,
                               ApiKeyEventOutcome outcome, ApiKeyActor actor, Map<String, ?> details,
                               RuntimeException failure) {
        if (events == null) {
            return;
        }
        try {
            audited(() -> Boolean.TRUE, ignored -> ApiKeyEventDraft.of(now, action, outcome, id, keyId, actor,
                    details));
        } catch (RuntimeException notRecorded) {
            failure.addSuppressed(notRecorded);
        }
    }

    private static ApiKeyEventDraft draft(Instant now, ApiKeyEventAction action, ApiKeyEventOutcome outcome,
                                          ApiKey key, ApiKeyActor actor, Map<String, ?> details) {
        return ApiKeyEventDraft.of(now, action, outcome, key.getId(), key.getKeyId(), actor, details);
    }

    /** What a create, import or bootstrap stored, without its hash or secret characters. */
    private static Map<String, Object> keyDetails(ApiKey key, ApiKeyEventAction action, String bootstrapMode) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("name", key.getName());
        details.put("isActive", key.isActive());
        details.put("scopes", List.copyOf(key.getScopes()));
        details.put("expiresAt", key.getExpiresAt() == null ? null : ApiKeyEventChain.formatTime(key.getExpiresAt()));
        details.put("ownerId", key.getOwnerId());
        if (action == ApiKeyEventAction.BOOTSTRAP) {
            details.put("mode", bootstrapMode);
        }
        return details;
    }

    /** The fields a change sets, with their new values: names and values, never a hash or a secret. */
    private static Map<String, Object> changedFields(ApiKeyChanges changes) {
        Map<String, Object> changed = new LinkedHashMap<>();
        changes.name().ifPresent(name -> changed.put("name", name));
        changes.description().ifPresent(description -> changed.put("description", description.orElse(null)));
        changes.active().ifPresent(active -> changed.put("isActive", active));
        changes.scopes().ifPresent(scopes -> changed.put("scopes", List.copyOf(scopes)));
        changes.expiresAt().ifPresent(at -> changed.put("expiresAt", at.map(ApiKeyEventChain::formatTime).orElse(null)));
        changes.ownerId().ifPresent(ownerId -> changed.put("ownerId", ownerId.orElse(null)));
        changes.metadata().ifPresent(metadata -> changed.put("metadata", KeyMetadata.toJson(metadata)));
        changes.allowedIps().ifPresent(ips -> changed.put("allowedIps", List.copyOf(ips)));
        changes.allowedOrigins().ifPresent(origins -> changed.put("allowedOrigins", List.copyOf(origins)));
        changes.remaining().ifPresent(remaining -> changed.put("remaining", remaining.orElse(null)));
        changes.refill().ifPresent(refill -> changed.put("refill", refill.map(r -> {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("amount", r.amount());
            value.put("interval", r.interval().name());
            return value;
        }).orElse(null)));
        changes.lastRefillAt().ifPresent(at -> changed.put("lastRefillAt",
                at.map(ApiKeyEventChain::formatTime).orElse(null)));
        changes.rateLimits().ifPresent(limits -> changed.put("rateLimits", limits.stream().map(limit -> {
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("name", limit.name());
            value.put("limit", limit.limit());
            value.put("duration", limit.duration().toString());
            return value;
        }).toList()));
        return changed;
    }

    /**
     * Checks a presented key without information about the client, and records its use. A key restricted to IP
     * ranges or origins is refused: use {@link #verify(String, VerificationContext)} for those.
     *
     * @param presentedKey   the full key as the client sent it
     * @param requiredScopes scopes the key must all hold; may be empty
     * @return the key, with its last-used time updated
     * @see #verify(String, VerificationContext)
     */
    public ApiKey verify(String presentedKey, Collection<String> requiredScopes) {
        return verify(presentedKey, VerificationContext.requiring(requiredScopes));
    }

    /**
     * Checks a presented key, records its use and consumes one of its usage credits if its use is counted.
     *
     * @param presentedKey   the full key as the client sent it
     * @param context        the scopes the caller requires and where the request came from
     * @return the key, with its last-used time (and credits) updated
     * @throws KeyNotProvidedException if {@code presentedKey} is null or blank
     * @throws InvalidKeyException if it is malformed, unknown, or its secret does not match
     * @throws KeyInactiveException if the secret matched but the key is disabled
     * @throws KeyExpiredException if the secret matched but the key has expired
     * @throws KeyRestrictedException if the request comes from an address or origin the key does not allow
     * @throws InsufficientScopesException if the key lacks a required scope
     * @throws UsageExceededException if the key has no usage credits left
     * @throws ApiKeyStoreException if the store cannot be reached
     */
    public ApiKey verify(String presentedKey, VerificationContext context) {
        return authenticate(presentedKey, context).key();
    }

    /**
     * Verifies a presented key as {@link #verify(String, VerificationContext)} does, and also answers the state of
     * its rate limits, which an HTTP adapter turns into response headers.
     *
     * @throws RateLimitExceededException if the key has spent the budget of one of its rate limits
     */
    public Verification authenticate(String presentedKey, VerificationContext context) {
        Objects.requireNonNull(context, "context");
        VerificationObserver.Verifying verifying = observer.start();
        VerificationPath path = VerificationPath.NONE;
        String provenKeyId = null;
        Verification verification;
        try {
            if (presentedKey == null || presentedKey.isBlank()) {
                throw new KeyNotProvidedException();
            }
            // A hit means this exact string was verified before, so full parsing is only needed on a miss; the shape
            // check keeps arbitrary input from being digested.
            VerifiedKeyCache.Hit hit = format.hasKeyShape(presentedKey) ? cache.get(presentedKey) : null;
            if (hit == null) {
                ParsedApiKey parsed = format.parse(presentedKey);
                path = VerificationPath.HASH;
                hit = verifySecret(presentedKey, parsed);
            } else if (hit.renewalDue()) {
                path = VerificationPath.RENEWAL;
                VerifiedKeyCache.Hit renewed = renew(presentedKey, hit);
                if (renewed == null) {
                    path = VerificationPath.HASH;
                    renewed = verifySecret(presentedKey, format.parse(presentedKey));
                }
                hit = renewed;
            } else {
                path = VerificationPath.CACHE;
            }
            ApiKey key = hit.key();
            Instant now = now();
            if (hit.previousSecret() && !key.isPreviousSecretValidAt(now)) {
                // The grace period ended: the secret is as good as any other wrong one.
                throw new InvalidKeyException();
            }
            provenKeyId = key.getKeyId();
            key.ensureCanAuthenticate(now);
            key.ensureAllowedFrom(context.clientAddress(), context.origin());
            key.ensureScopes(context.requiredScopes());
            RateLimitDecision rateLimit = takeFromRateLimits(key, now);
            if (key.hasUsageCredits()) {
                consumeCredit(key, now);
            }
            usageRecorder.recordUse(key.getId(), now);
            key.recordUse(now);
            verification = new Verification(key, rateLimit, hit.previousSecret());
        } catch (RuntimeException refused) {
            VerificationOutcome outcome = VerificationOutcome.of(refused);
            // A key id is reported only for refusals that come after the secret matched.
            verifying.end(outcome, path, outcome == VerificationOutcome.INVALID ? null : provenKeyId);
            throw refused;
        } catch (Error failed) {
            // Ended all the same: an observer may hold something open for the verification, such as a tracing
            // scope bound to this thread, which would otherwise outlive it. The Error stays the one thrown.
            try {
                verifying.end(VerificationOutcome.ERROR, path, null);
            } catch (RuntimeException | Error observerFailed) {
                failed.addSuppressed(observerFailed);
            }
            throw failed;
        }
        // Outside the try, so that an observer failing here is not told a second time, as a refusal.
        verifying.end(VerificationOutcome.VALID, path, provenKeyId);
        return verification;
    }

    /** Before credits: a request refused for its rate must not cost a credit. */
    private RateLimitDecision takeFromRateLimits(ApiKey key, Instant now) {
        List<RateLimit> limits = rateLimitPolicy.limitsFor(key);
        if (limits.isEmpty()) {
            return null;
        }
        RateLimitDecision decision = rateLimiter.tryConsume(key.getId(), limits, now);
        if (decision != null && !decision.allowed()) {
            throw new RateLimitExceededException(decision);
        }
        return decision;
    }

    /** Consumes one credit in the store, the one place that can count across instances. */
    private void consumeCredit(ApiKey key, Instant now) {
        CreditConsumption consumption = store.consumeCredit(key.getId(), now);
        switch (consumption.outcome()) {
            case CONSUMED -> key.setRemaining(consumption.remaining());
            case EXHAUSTED -> throw new UsageExceededException(key.getRefill() == null ? null
                    : key.getRefill().interval().nextPeriodStart(now));
            case NOT_COUNTED -> key.setRemaining(null);
            case NOT_FOUND -> throw new InvalidKeyException();
        }
    }

    /**
     * Looks the key up and checks its secret; a match is cached, whatever the key's state. The lookup runs within
     * the hasher's bounds too, so that a flood of unknown key ids cannot put unbounded work on the store.
     */
    private VerifiedKeyCache.Hit verifySecret(String presentedKey, ParsedApiKey parsed) {
        return hasher.bounded(() -> {
            long generation = cache.generation();
            Optional<ApiKey> candidate = store.findByKeyId(parsed.keyId());
            if (candidate.isEmpty()) {
                hasher.verify(decoyHash(), parsed.secret());
                throw new InvalidKeyException();
            }
            ApiKey key = candidate.get();
            boolean previousSecret = false;
            if (!hasher.verify(key.getKeyHash(), parsed.secret())) {
                // During a rotation's grace period a wrong secret costs a second hash: the key id is known to the
                // caller anyway, so this tells a guesser nothing about which key ids exist.
                previousSecret = key.isPreviousSecretValidAt(now())
                        && hasher.verify(key.getPreviousKeyHash(), parsed.secret());
                if (!previousSecret) {
                    throw new InvalidKeyException();
                }
            }
            cache.put(presentedKey, key, previousSecret, generation);
            return new VerifiedKeyCache.Hit(key, false, previousSecret);
        });
    }

    /**
     * Renews a cached verification without hash work: the presented secret matched the hash cached with the key,
     * so while the stored row still holds that hash, the secret still matches, and the row brings the key's
     * current state. Otherwise (deleted, or a new hash) the secret must be checked again: {@code null}.
     */
    private VerifiedKeyCache.Hit renew(String presentedKey, VerifiedKeyCache.Hit hit) {
        long generation = cache.generation();
        ApiKey cached = hit.key();
        Optional<ApiKey> current = store.findById(cached.getId());
        String verifiedHash = hit.previousSecret() ? cached.getPreviousKeyHash() : cached.getKeyHash();
        String storedHash = current.map(key -> hit.previousSecret() ? key.getPreviousKeyHash() : key.getKeyHash())
                .orElse(null);
        if (storedHash != null && storedHash.equals(verifiedHash)) {
            cache.put(presentedKey, current.get(), hit.previousSecret(), generation);
            return new VerifiedKeyCache.Hit(current.get(), false, hit.previousSecret());
        }
        return null;
    }

    /** Verifies a key without required scopes. */
    public ApiKey verify(String presentedKey) {
        return verify(presentedKey, Set.of());
    }

    private ApiKey newEntity(String keyId, String secret, String name, String description, boolean active,
                             Collection<String> scopes, Instant expiresAt, Instant now) {
        return ApiKey.builder()
                .id(UUID.randomUUID())
                .keyId(keyId)
                .keyHash(hasher.hash(secret))
                .secretFirst(secret.substring(0, 4))
                .secretLast(secret.substring(secret.length() - 4))
                .name(name)
                .description(description)
                .active(active)
                .scopes(scopes)
                .createdAt(now)
                .expiresAt(expiresAt)
                .build();
    }

    /** Made on first need, with the configured hasher, so that it costs what a real hash costs. */
    private String decoyHash() {
        String hash = decoyHash;
        if (hash == null) {
            synchronized (this) {
                hash = decoyHash;
                if (hash == null) {
                    hash = hasher.hash(format.newSecret());
                    decoyHash = hash;
                }
            }
        }
        return hash;
    }

    /** Databases keep microseconds; truncating here makes a stored key read back equal to what was written. */
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    @Override
    public String toString() {
        return "ApiKeyService[store=" + store + ", hasher=" + hasher + ", format=" + format + ", cache=" + cache
                + "]";
    }

    public static final class Builder {

        private final ApiKeyStore store;
        private final ApiKeyHasher hasher;
        private ApiKeyFormat format = new ApiKeyFormat();
        private Clock clock = Clock.systemUTC();
        private VerifiedKeyCache cache = VerifiedKeyCache.NONE;
        private UsageRecorder usageRecorder;
        private int maxMetadataBytes = ApiKeyRules.DEFAULT_MAX_METADATA_BYTES;
        private Duration maxGracePeriod = ApiKeyRules.DEFAULT_MAX_GRACE_PERIOD;
        private RateLimiter rateLimiter;
        private RateLimitPolicy rateLimitPolicy = RateLimitPolicy.KEYS_OWN_LIMITS;
        private ApiKeyEventStore events;
        private ApiKeyActorResolver actors = ApiKeyActorResolver.SYSTEM;
        private ApiKeyEventListener eventListener = ApiKeyEventListener.NONE;
        private VerificationObserver observer = VerificationObserver.NONE;

        private Builder(ApiKeyStore store, ApiKeyHasher hasher) {
            this.store = Objects.requireNonNull(store, "store");
            this.hasher = Objects.requireNonNull(hasher, "hasher");
        }

        public Builder format(ApiKeyFormat format) {
            this.format = Objects.requireNonNull(format, "format");
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Builder cache(VerifiedKeyCache cache) {
            this.cache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        public Builder usageRecorder(UsageRecorder usageRecorder) {
            this.usageRecorder = Objects.requireNonNull(usageRecorder, "usageRecorder");
            return this;
        }

        /** The largest metadata document a key may hold, as compact UTF-8 JSON; 4096 bytes by default. */
        public Builder maxMetadataBytes(int maxMetadataBytes) {
            if (maxMetadataBytes < 2) {
                throw new IllegalArgumentException("maxMetadataBytes must be at least 2, was " + maxMetadataBytes);
            }
            this.maxMetadataBytes = maxMetadataBytes;
            return this;
        }

        /** The longest grace period a rotation may give the previous secret; 30 days by default. */
        public Builder maxGracePeriod(Duration maxGracePeriod) {
            if (maxGracePeriod == null || maxGracePeriod.isNegative()) {
                throw new IllegalArgumentException("maxGracePeriod must be zero or positive, was " + maxGracePeriod);
            }
            this.maxGracePeriod = maxGracePeriod;
            return this;
        }

        /** Where rate-limit budgets are kept; Bucket4j in this process's memory by default. */
        public Builder rateLimiter(RateLimiter rateLimiter) {
            this.rateLimiter = Objects.requireNonNull(rateLimiter, "rateLimiter");
            return this;
        }

        /** Which limits apply to keys without limits of their own; none by default. */
        public Builder rateLimitPolicy(RateLimitPolicy rateLimitPolicy) {
            this.rateLimitPolicy = Objects.requireNonNull(rateLimitPolicy, "rateLimitPolicy");
            return this;
        }

        /**
         * Records every management operation in {@code events}, which must share the key store's backend (and its
         * transactions) for a change and its event to commit together; {@code null}, the default: no audit trail.
         */
        public Builder audit(ApiKeyEventStore events) {
            this.events = events;
            return this;
        }

        /** Who performs operations; {@link ApiKeyActor#SYSTEM} by default. */
        public Builder actorResolver(ApiKeyActorResolver actors) {
            this.actors = Objects.requireNonNull(actors, "actors");
            return this;
        }

        /** Told of every recorded event once its operation returned; none by default. */
        public Builder eventListener(ApiKeyEventListener eventListener) {
            this.eventListener = Objects.requireNonNull(eventListener, "eventListener");
            return this;
        }

        /**
         * Told about every verification (outcome, path, and the key id once the secret matched), for metrics and
         * traces; {@link VerificationObserver#NONE} by default.
         */
        public Builder observer(VerificationObserver observer) {
            this.observer = Objects.requireNonNull(observer, "observer");
            return this;
        }

        public ApiKeyService build() {
            return new ApiKeyService(this);
        }
    }
}
