package io.github.apikey.core.testing;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.store.CreditConsumption;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.InMemoryApiKeyStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** A store that passes every call to another, for subclasses to intercept some. */
public class DelegatingStore implements ApiKeyStore {

    private final ApiKeyStore delegate;

    /** Over a fresh in-memory store. */
    public DelegatingStore() {
        this(new InMemoryApiKeyStore());
    }

    public DelegatingStore(ApiKeyStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public Optional<ApiKey> findById(UUID id) {
        return delegate.findById(id);
    }

    @Override
    public Optional<ApiKey> findByKeyId(String keyId) {
        return delegate.findByKeyId(keyId);
    }

    @Override
    public ApiKey create(ApiKey key) {
        return delegate.create(key);
    }

    @Override
    public Optional<ApiKey> update(UUID id, ApiKeyChanges changes) {
        return delegate.update(id, changes);
    }

    @Override
    public Optional<ApiKey> rotate(UUID id, SecretRotation rotation) {
        return delegate.rotate(id, rotation);
    }

    @Override
    public CreditConsumption consumeCredit(UUID id, Instant now) {
        return delegate.consumeCredit(id, now);
    }

    @Override
    public void recordUse(UUID id, Instant usedAt) {
        delegate.recordUse(id, usedAt);
    }

    @Override
    public boolean deleteById(UUID id) {
        return delegate.deleteById(id);
    }

    @Override
    public List<ApiKey> list(int offset, int limit) {
        return delegate.list(offset, limit);
    }

    @Override
    public List<ApiKey> find(ApiKeyFilter filter) {
        return delegate.find(filter);
    }

    @Override
    public long count(ApiKeyFilter filter) {
        return delegate.count(filter);
    }
}
