package io.github.apikey.spring.audit;

import io.github.apikey.core.audit.ApiKeyEvent;

import org.springframework.context.ApplicationEvent;

/**
 * A recorded management operation, published once its transaction committed (at once outside transactions), so that
 * an {@code @EventListener} sees only events that are stored. {@link #getEvent()} holds no secret.
 */
public class ApiKeyAuditApplicationEvent extends ApplicationEvent {

    private final transient ApiKeyEvent event;

    public ApiKeyAuditApplicationEvent(Object source, ApiKeyEvent event) {
        super(source);
        this.event = event;
    }

    public ApiKeyEvent getEvent() {
        return event;
    }

    @Override
    public String toString() {
        return "ApiKeyAuditApplicationEvent[" + event + "]";
    }
}
