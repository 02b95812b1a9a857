package io.github.apikey.spring.audit;

import io.github.apikey.core.audit.ApiKeyEvent;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.AuditEventRepository;
import org.springframework.context.ApplicationListener;

/**
 * Maps each published {@link ApiKeyAuditApplicationEvent} to a Spring Boot {@link AuditEvent} in the application's
 * {@link AuditEventRepository}: principal the actor's name, type {@code API_KEY_<ACTION>} (for example
 * {@code API_KEY_ROTATE}), data {@code outcome}, {@code apiKeyId}, {@code keyId}, {@code actorType},
 * {@code clientAddress}, {@code sequence} and {@code details} (the event's JSON text), absent values left out.
 */
public final class ApiKeyAuditEventRecorder implements ApplicationListener<ApiKeyAuditApplicationEvent> {

    public static final String TYPE_PREFIX = "API_KEY_";

    private final AuditEventRepository repository;

    public ApiKeyAuditEventRecorder(AuditEventRepository repository) {
        this.repository = repository;
    }

    @Override
    public void onApplicationEvent(ApiKeyAuditApplicationEvent published) {
        repository.add(toAuditEvent(published.getEvent()));
    }

    public static AuditEvent toAuditEvent(ApiKeyEvent event) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("outcome", event.outcome().wireName());
        if (event.apiKeyId() != null) {
            data.put("apiKeyId", event.apiKeyId().toString());
        }
        if (event.keyId() != null) {
            data.put("keyId", event.keyId());
        }
        data.put("actorType", event.actor().type().wireName());
        if (event.actor().clientAddress() != null) {
            data.put("clientAddress", event.actor().clientAddress());
        }
        data.put("sequence", event.sequence());
        data.put("details", event.details());
        return new AuditEvent(event.occurredAt(), event.actor().name(),
                TYPE_PREFIX + event.action().name(), data);
    }
}
