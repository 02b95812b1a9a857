package io.github.apikey.core.service;

import io.github.apikey.core.cache.VerifiedKeyCache;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.error.InsufficientScopesException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.KeyNotProvidedException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.format.ParsedApiKey;
import io.github.apikey.core.hash.ApiKeyHasher;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.usage.UsageRecorder;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues, verifies and manages API keys. Thread-safe.
 *
 * <p>Verification follows one order, so that a caller learns nothing it should not: parse (no store access),
 * look up by key id, check the secret's hash, and only then the key's state and scopes. An unknown key id costs
 * the same hash work as a wrong secret, so response times do not reveal which key ids exist.
 */
public final class ApiKeyService {

    private static final int CREATE_ATTEMPTS = 3;

    private final ApiKeyStore store;
    private final ApiKeyHasher hasher;
    private final ApiKeyFormat format;
    private final Clock clock;
    private final VerifiedKeyCache cache;
    private final UsageRecorder usageRecorder;
    private volatile String decoyHash;

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

    /**
     * Creates and stores a key.
     *
     * @return the stored key and its plaintext, which exists nowhere else
     * @throws ApiKeyValidationException if the request breaks a rule of {@link ApiKeyRules}
     */
    public CreatedApiKey create(NewApiKey request) {
        Objects.requireNonNull(request, "request");
        Instant now = now();
        ApiKeyRules.requireName(request.name());
        ApiKeyRules.requireDescription(request.description());
        ApiKeyRules.requireScopes(request.scopes());
        Instant expiresAt = ApiKeyRules.requireFutureExpiry(request.expiresAt(), now);
        DuplicateApiKeyException lastClash = null;
        for (int attempt = 0; attempt < CREATE_ATTEMPTS; attempt++) {
            String keyId = format.newKeyId();
            String secret = format.newSecret();
            ApiKey key = newEntity(keyId, secret, request.name(), request.description(), request.active(),
                    request.scopes(), expiresAt, now);
            try {
                return new CreatedApiKey(store.create(key), format.format(keyId, secret));
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
        ParsedApiKey parsed = format.parse(fullKey);
        ApiKeyRules.requireName(name);
        Collection<String> validScopes = ApiKeyRules.requireScopes(scopes == null ? List.of() : scopes);
        Optional<ApiKey> existing = store.findByKeyId(parsed.keyId());
        if (existing.isPresent()) {
            if (hasher.verify(existing.get().getKeyHash(), parsed.secret())) {
                return Optional.empty();
            }
            throw new DuplicateApiKeyException("API key id " + parsed.keyId()
                    + " is already stored with a different secret");
        }
        ApiKey key = newEntity(parsed.keyId(), parsed.secret(), name, null, true, validScopes, null, now());
        return Optional.of(store.create(key));
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
        Objects.requireNonNull(changes, "changes");
        ApiKeyChanges valid = validate(changes, now());
        if (valid.isEmpty()) {
            return get(id);
        }
        ApiKey updated = store.update(id, valid).orElseThrow(() -> new ApiKeyNotFoundException(id));
        cache.invalidate(id);
        return updated;
    }

    private static ApiKeyChanges validate(ApiKeyChanges changes, Instant now) {
        ApiKeyChanges.Builder valid = ApiKeyChanges.builder();
        changes.name().ifPresent(name -> valid.name(ApiKeyRules.requireName(name)));
        changes.description().ifPresent(description ->
                valid.description(ApiKeyRules.requireDescription(description.orElse(null))));
        changes.active().ifPresent(valid::active);
        changes.scopes().ifPresent(scopes -> valid.scopes(new LinkedHashSet<>(ApiKeyRules.requireScopes(scopes))));
        changes.expiresAt().ifPresent(expiresAt ->
                valid.expiresAt(ApiKeyRules.requireFutureExpiry(expiresAt.orElse(null), now)));
        return valid.build();
    }

    /** Lets key {@code id} authenticate again; does nothing more if it already can. */
    public ApiKey activate(UUID id) {
        return update(id, ApiKeyChanges.builder().active(true).build());
    }

    /** Stops key {@code id} from authenticating; does nothing more if it already cannot. */
    public ApiKey deactivate(UUID id) {
        return update(id, ApiKeyChanges.builder().active(false).build());
    }

    /** @throws ApiKeyNotFoundException if no key has this id */
    public void delete(UUID id) {
        boolean deleted = store.deleteById(id);
        cache.invalidate(id);
        if (!deleted) {
            throw new ApiKeyNotFoundException(id);
        }
    }

    /**
     * Checks a presented key and records its use.
     *
     * @param presentedKey   the full key as the client sent it
     * @param requiredScopes scopes the key must all hold; may be empty
     * @return the key, with its last-used time updated
     * @throws KeyNotProvidedException if {@code presentedKey} is null or blank
     * @throws InvalidKeyException if it is malformed, unknown, or its secret does not match
     * @throws KeyInactiveException if the secret matched but the key is disabled
     * @throws KeyExpiredException if the secret matched but the key has expired
     * @throws InsufficientScopesException if the key lacks a required scope
     * @throws ApiKeyStoreException if the store cannot be reached
     */
    public ApiKey verify(String presentedKey, Collection<String> requiredScopes) {
        if (presentedKey == null || presentedKey.isBlank()) {
            throw new KeyNotProvidedException();
        }
        // A hit means this exact string was verified before, so full parsing is only needed on a miss; the shape
        // check keeps arbitrary input from being digested.
        VerifiedKeyCache.Hit hit = format.hasKeyShape(presentedKey) ? cache.get(presentedKey) : null;
        ApiKey key;
        if (hit == null) {
            key = verifySecret(presentedKey, format.parse(presentedKey));
        } else if (hit.renewalDue()) {
            key = renew(presentedKey, hit.key());
        } else {
            key = hit.key();
        }
        Instant now = now();
        key.ensureCanAuthenticate(now);
        key.ensureScopes(requiredScopes);
        usageRecorder.recordUse(key.getId(), now);
        key.recordUse(now);
        return key;
    }

    /**
     * Looks the key up and checks its secret; a match is cached, whatever the key's state. The lookup runs within
     * the hasher's bounds too, so that a flood of unknown key ids cannot put unbounded work on the store.
     */
    private ApiKey verifySecret(String presentedKey, ParsedApiKey parsed) {
        return hasher.bounded(() -> {
            long generation = cache.generation();
            Optional<ApiKey> candidate = store.findByKeyId(parsed.keyId());
            if (candidate.isEmpty()) {
                hasher.verify(decoyHash(), parsed.secret());
                throw new InvalidKeyException();
            }
            ApiKey key = candidate.get();
            if (!hasher.verify(key.getKeyHash(), parsed.secret())) {
                throw new InvalidKeyException();
            }
            cache.put(presentedKey, key, generation);
            return key;
        });
    }

    /**
     * Renews a cached verification without hash work: the presented secret matched the hash cached with the key,
     * so while the stored row still holds that hash, the secret still matches, and the row brings the key's
     * current state. Otherwise (deleted, or a new hash) the secret is checked again.
     */
    private ApiKey renew(String presentedKey, ApiKey cached) {
        long generation = cache.generation();
        Optional<ApiKey> current = store.findById(cached.getId());
        if (current.isPresent() && current.get().getKeyHash().equals(cached.getKeyHash())) {
            cache.put(presentedKey, current.get(), generation);
            return current.get();
        }
        return verifySecret(presentedKey, format.parse(presentedKey));
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

        public ApiKeyService build() {
            return new ApiKeyService(this);
        }
    }
}
