package io.github.apikey.spring.audit;

import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventListener;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Publishes each recorded event as an {@link ApiKeyAuditApplicationEvent} after the commit of the transaction it was
 * recorded in ({@link TransactionSynchronization#afterCommit}), so that a rolled-back change is never announced; outside
 * a transaction at once.
 */
public final class ApplicationEventApiKeyEventListener implements ApiKeyEventListener {

    private final ApplicationEventPublisher publisher;

    public ApplicationEventApiKeyEventListener(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onEvent(ApiKeyEvent event) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    publish(event);
                }
            });
        } else {
            publish(event);
        }
    }

    private void publish(ApiKeyEvent event) {
        publisher.publishEvent(new ApiKeyAuditApplicationEvent(this, event));
    }
}
