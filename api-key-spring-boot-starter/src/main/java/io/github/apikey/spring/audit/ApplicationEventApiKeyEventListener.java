package io.github.apikey.spring.audit;

import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventListener;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.util.ClassUtils;

/**
 * Publishes each recorded event as an {@link ApiKeyAuditApplicationEvent} after the commit of the transaction it was
 * recorded in ({@link TransactionSynchronization#afterCommit}), so that a rolled-back change is never announced; outside
 * a transaction (or without Spring's transaction support on the class path, keys in memory) at once.
 */
public final class ApplicationEventApiKeyEventListener implements ApiKeyEventListener {

    private static final boolean TRANSACTIONS = ClassUtils.isPresent(
            "org.springframework.transaction.support.TransactionSynchronizationManager",
            ApplicationEventApiKeyEventListener.class.getClassLoader());

    private final ApplicationEventPublisher publisher;

    public ApplicationEventApiKeyEventListener(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onEvent(ApiKeyEvent event) {
        if (!TRANSACTIONS || !AfterCommit.defer(() -> publish(event))) {
            publish(event);
        }
    }

    private void publish(ApiKeyEvent event) {
        publisher.publishEvent(new ApiKeyAuditApplicationEvent(this, event));
    }

    /** Loaded only with Spring's transaction support on the class path. */
    private static final class AfterCommit {

        static boolean defer(Runnable action) {
            if (!TransactionSynchronizationManager.isSynchronizationActive()) {
                return false;
            }
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
            return true;
        }
    }
}
