package io.github.apikey.core.cache;

import io.github.apikey.core.domain.ApiKey;

import java.util.Objects;
import java.util.UUID;

/**
 * A {@link VerifiedKeyCache} that passes every call to another, for decorators that add to some of them, for
 * example to invalidations.
 */
public abstract class ForwardingVerifiedKeyCache implements VerifiedKeyCache {

    private final VerifiedKeyCache delegate;

    protected ForwardingVerifiedKeyCache(VerifiedKeyCache delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    /** The cache this one passes calls to. */
    protected final VerifiedKeyCache delegate() {
        return delegate;
    }

    /** The cache this one passes calls to, for metrics and diagnostics that look for the cache underneath. */
    public final VerifiedKeyCache getDelegate() {
        return delegate;
    }

    @Override
    public Hit get(String presentedKey) {
        return delegate.get(presentedKey);
    }

    @Override
    public long generation() {
        return delegate.generation();
    }

    @Override
    public void put(String presentedKey, ApiKey key, boolean previousSecret, long generation) {
        delegate.put(presentedKey, key, previousSecret, generation);
    }

    @Override
    public void invalidate(UUID id) {
        delegate.invalidate(id);
    }

    @Override
    public void invalidateAll() {
        delegate.invalidateAll();
    }
}
