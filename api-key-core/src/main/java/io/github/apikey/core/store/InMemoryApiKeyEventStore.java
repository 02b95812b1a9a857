package io.github.apikey.core.store;

import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventChain;
import io.github.apikey.core.audit.ApiKeyEventDraft;
import io.github.apikey.core.audit.ChainHead;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The audit trail in process memory, beside {@link InMemoryApiKeyStore}. Memory has no transactions: a change and its
 * event are made one after the other under the chain's lock, and a failed change records no event.
 */
public final class InMemoryApiKeyEventStore implements ApiKeyEventStore {

    private final ConcurrentSkipListMap<Long, ApiKeyEvent> events = new ConcurrentSkipListMap<>();
    private final ReentrantLock chainLock = new ReentrantLock();
    private volatile ChainHead head = ChainHead.GENESIS;

    @Override
    public <T> T withChainLock(Supplier<T> work) {
        chainLock.lock();
        try {
            return work.get();
        } finally {
            chainLock.unlock();
        }
    }

    @Override
    public ApiKeyEvent append(ApiKeyEventDraft draft) {
        return withChainLock(() -> {
            ApiKeyEvent event = ApiKeyEventChain.seal(draft, head.sequence() + 1, head.hash());
            events.put(event.sequence(), event);
            head = new ChainHead(event.sequence(), event.hash());
            return event;
        });
    }

    @Override
    public Optional<ApiKeyEvent> purge(Instant cutoff, ApiKeyEventDraft purge) {
        return withChainLock(() -> {
            Optional<ApiKeyEvent> through = events.values().stream().filter(e -> e.occurredAt().isBefore(cutoff))
                    .max(Comparator.comparingLong(ApiKeyEvent::sequence));
            if (through.isEmpty()) {
                return Optional.empty();
            }
            var deleted = events.headMap(through.get().sequence(), true);
            long count = deleted.size();
            deleted.clear();
            return Optional.of(append(purge.withDetails(ApiKeyEventChain.purgeDetails(through.get().sequence(),
                    through.get().hash(), count, cutoff))));
        });
    }

    @Override
    public List<ApiKeyEvent> find(ApiKeyEventFilter filter) {
        return events.descendingMap().values().stream().filter(matching(filter)).skip(filter.offset())
                .limit(filter.limit()).toList();
    }

    @Override
    public long count(ApiKeyEventFilter filter) {
        return events.values().stream().filter(matching(filter)).count();
    }

    private static Predicate<ApiKeyEvent> matching(ApiKeyEventFilter filter) {
        return event -> (filter.apiKeyId() == null || filter.apiKeyId().equals(event.apiKeyId()))
                && (filter.action() == null || filter.action() == event.action())
                && (filter.actor() == null || filter.actor().equals(event.actor().name()))
                && (filter.from() == null || !event.occurredAt().isBefore(filter.from()))
                && (filter.to() == null || event.occurredAt().isBefore(filter.to()));
    }

    @Override
    public List<ApiKeyEvent> chain(long afterSequence, int limit) {
        return new ArrayList<>(events.tailMap(afterSequence, false).values()).stream().limit(limit).toList();
    }

    @Override
    public ChainHead head() {
        return head;
    }

    @Override
    public String toString() {
        return "InMemoryApiKeyEventStore";
    }
}
