package io.github.apikey.core.store;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.error.DuplicateApiKeyException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A thread-safe store in process memory, for tests, prototypes and single-instance applications that may lose
 * their keys on restart. Reads take no lock; writes that must keep the key id and hash unique take one.
 */
public final class InMemoryApiKeyStore implements ApiKeyStore {

    private final Map<UUID, ApiKey> byId = new ConcurrentHashMap<>();
    private final Map<String, UUID> idByKeyId = new ConcurrentHashMap<>();
    private final Object uniquenessLock = new Object();

    @Override
    public Optional<ApiKey> findById(UUID id) {
        return Optional.ofNullable(byId.get(id)).map(ApiKey::copy);
    }

    @Override
    public Optional<ApiKey> findByKeyId(String keyId) {
        UUID id = idByKeyId.get(keyId);
        return id == null ? Optional.empty() : findById(id);
    }

    @Override
    public ApiKey create(ApiKey key) {
        ApiKey stored = key.copy();
        synchronized (uniquenessLock) {
            if (byId.containsKey(stored.getId())) {
                throw new DuplicateApiKeyException("An API key with id " + stored.getId() + " is already stored");
            }
            if (idByKeyId.containsKey(stored.getKeyId())) {
                throw new DuplicateApiKeyException("An API key with key id " + stored.getKeyId()
                        + " is already stored");
            }
            if (byId.values().stream().anyMatch(other -> other.getKeyHash().equals(stored.getKeyHash()))) {
                throw new DuplicateApiKeyException("An API key with the same hash is already stored");
            }
            byId.put(stored.getId(), stored);
            idByKeyId.put(stored.getKeyId(), stored.getId());
        }
        return stored.copy();
    }

    @Override
    public Optional<ApiKey> update(UUID id, ApiKeyChanges changes) {
        Objects.requireNonNull(changes, "changes");
        // Applied to the current entry atomically, so concurrent changes to other fields are kept.
        ApiKey updated = byId.computeIfPresent(id, (unused, current) -> changes.applyTo(current));
        return Optional.ofNullable(updated).map(ApiKey::copy);
    }

    @Override
    public Optional<ApiKey> rotate(UUID id, SecretRotation rotation) {
        Objects.requireNonNull(rotation, "rotation");
        synchronized (uniquenessLock) {
            if (byId.values().stream().anyMatch(other -> other.getKeyHash().equals(rotation.keyHash()))) {
                throw new DuplicateApiKeyException("An API key with the same hash is already stored");
            }
            ApiKey rotated = byId.computeIfPresent(id, (unused, current) -> rotation.applyTo(current));
            return Optional.ofNullable(rotated).map(ApiKey::copy);
        }
    }

    @Override
    public CreditConsumption consumeCredit(UUID id, Instant now) {
        Objects.requireNonNull(now, "now");
        CreditConsumption[] outcome = {CreditConsumption.NOT_FOUND};
        byId.computeIfPresent(id, (unused, current) -> {
            if (!current.hasUsageCredits()) {
                outcome[0] = CreditConsumption.NOT_COUNTED;
                return current;
            }
            ApiKey next = current.copy();
            CreditRefill refill = next.getRefill();
            if (refill != null && refill.isDue(next.getLastRefillAt(), now)) {
                next.setRemaining(refill.amount());
                next.setLastRefillAt(refill.interval().periodStart(now));
            }
            if (next.getRemaining() <= 0) {
                outcome[0] = CreditConsumption.EXHAUSTED;
                return next;
            }
            next.setRemaining(next.getRemaining() - 1);
            outcome[0] = CreditConsumption.consumed(next.getRemaining());
            return next;
        });
        return outcome[0];
    }

    @Override
    public void recordUse(UUID id, Instant usedAt) {
        Objects.requireNonNull(usedAt, "usedAt");
        byId.computeIfPresent(id, (key, current) -> {
            ApiKey next = current.copy();
            next.recordUse(usedAt);
            return next;
        });
    }

    @Override
    public boolean deleteById(UUID id) {
        synchronized (uniquenessLock) {
            ApiKey removed = byId.remove(id);
            if (removed == null) {
                return false;
            }
            idByKeyId.remove(removed.getKeyId());
            return true;
        }
    }

    @Override
    public List<ApiKey> list(int offset, int limit) {
        return find(ApiKeyFilter.builder().page(offset, limit).build());
    }

    @Override
    public List<ApiKey> find(ApiKeyFilter filter) {
        return byId.values().stream()
                .filter(filter::matches)
                .sorted(filter.comparator())
                .skip(filter.getOffset())
                .limit(filter.getLimit())
                .map(ApiKey::copy)
                .toList();
    }

    @Override
    public long count(ApiKeyFilter filter) {
        return byId.values().stream().filter(filter::matches).count();
    }

    @Override
    public String toString() {
        return "InMemoryApiKeyStore[size=" + byId.size() + "]";
    }
}
