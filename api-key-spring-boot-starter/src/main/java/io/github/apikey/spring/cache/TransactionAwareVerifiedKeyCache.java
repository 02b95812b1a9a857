package io.github.apikey.spring.cache;

import io.github.apikey.core.cache.ForwardingVerifiedKeyCache;
import io.github.apikey.core.cache.VerifiedKeyCache;

import java.util.UUID;

import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Makes invalidations hold when keys change inside the caller's transaction. Until that transaction commits,
 * every other transaction still reads the old row, so a request in between verifies the key again and caches the
 * old state. Each invalidation is therefore applied at once and again when the transaction completes: after a
 * commit so that the new state is read, after a rollback so that nothing verified inside the transaction (which
 * saw the changes that were rolled back) stays cached. Outside transactions it only applies them at once.
 */
public final class TransactionAwareVerifiedKeyCache extends ForwardingVerifiedKeyCache {

    public TransactionAwareVerifiedKeyCache(VerifiedKeyCache delegate) {
        super(delegate);
    }

    @Override
    public void invalidate(UUID id) {
        super.invalidate(id);
        afterTransaction(() -> super.invalidate(id));
    }

    @Override
    public void invalidateAll() {
        super.invalidateAll();
        afterTransaction(super::invalidateAll);
    }

    private static void afterTransaction(Runnable invalidation) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    invalidation.run();
                }
            });
        }
    }

    @Override
    public String toString() {
        return "TransactionAwareVerifiedKeyCache[" + delegate() + "]";
    }
}
