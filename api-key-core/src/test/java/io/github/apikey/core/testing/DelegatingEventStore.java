package io.github.apikey.core.testing;

import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventDraft;
import io.github.apikey.core.audit.ChainHead;
import io.github.apikey.core.store.ApiKeyEventFilter;
import io.github.apikey.core.store.ApiKeyEventStore;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** An event store that passes every call to another, for subclasses to intercept some. */
public class DelegatingEventStore implements ApiKeyEventStore {

    private final ApiKeyEventStore delegate;

    public DelegatingEventStore(ApiKeyEventStore delegate) {
        this.delegate = delegate;
    }

    @Override
    public <T> T withChainLock(Supplier<T> work) {
        return delegate.withChainLock(work);
    }

    @Override
    public ApiKeyEvent append(ApiKeyEventDraft draft) {
        return delegate.append(draft);
    }

    @Override
    public Optional<ApiKeyEvent> purge(Instant cutoff, ApiKeyEventDraft purge) {
        return delegate.purge(cutoff, purge);
    }

    @Override
    public List<ApiKeyEvent> find(ApiKeyEventFilter filter) {
        return delegate.find(filter);
    }

    @Override
    public long count(ApiKeyEventFilter filter) {
        return delegate.count(filter);
    }

    @Override
    public List<ApiKeyEvent> chain(long afterSequence, int limit) {
        return delegate.chain(afterSequence, limit);
    }

    @Override
    public ChainHead head() {
        return delegate.head();
    }
}
