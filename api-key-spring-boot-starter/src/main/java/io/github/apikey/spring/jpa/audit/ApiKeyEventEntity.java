package io.github.apikey.spring.jpa.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.PostLoad;
import jakarta.persistence.PostPersist;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import java.time.Instant;

import org.springframework.data.domain.Persistable;

/**
 * Row of the audit trail's table, {@value #LOGICAL_TABLE_NAME} beside the default key table (see
 * {@code ApiKeyTableName.eventsTableFor}). Written once, never updated; the columns hold no secret and no key hash.
 * With the head's entity alone in this package, which the starter registers for entity scanning only while the audit
 * trail is on: off, no table of it is mapped, so Hibernate's schema validation does not ask for one.
 */
@Entity(name = "ApiKeyEventEntity")
@Table(name = ApiKeyEventEntity.LOGICAL_TABLE_NAME)
public class ApiKeyEventEntity implements Persistable<Long> {

    public static final String LOGICAL_TABLE_NAME = "api_key_events";

    /** As the key table's JSON text columns, where Hibernate generates the table. */
    static final int JSON_TEXT_LENGTH = 1_000_000;

    @Id
    @Column(name = "seq", nullable = false, updatable = false)
    private Long sequence;

    @Column(name = "occurred_at", nullable = false, updatable = false)
    private Instant occurredAt;

    @Column(name = "action", length = 16, nullable = false, updatable = false)
    private String action;

    @Column(name = "outcome", length = 16, nullable = false, updatable = false)
    private String outcome;

    @Column(name = "api_key_id", length = 36, updatable = false)
    private String apiKeyId;

    @Column(name = "key_id", length = 16, updatable = false)
    private String keyId;

    @Column(name = "actor_type", length = 16, nullable = false, updatable = false)
    private String actorType;

    @Column(name = "actor", length = 255, nullable = false, updatable = false)
    private String actor;

    @Column(name = "client_address", length = 64, updatable = false)
    private String clientAddress;

    @Column(name = "details", length = JSON_TEXT_LENGTH, nullable = false, updatable = false)
    private String details;

    @Column(name = "previous_hash", length = 64, nullable = false, updatable = false)
    private String previousHash;

    @Column(name = "event_hash", length = 64, nullable = false, updatable = false)
    private String hash;

    @Transient
    private boolean stored;

    protected ApiKeyEventEntity() {
    }

    public ApiKeyEventEntity(long sequence, Instant occurredAt, String action, String outcome, String apiKeyId,
                             String keyId, String actorType, String actor, String clientAddress, String details,
                             String previousHash, String hash) {
        this.sequence = sequence;
        this.occurredAt = occurredAt;
        this.action = action;
        this.outcome = outcome;
        this.apiKeyId = apiKeyId;
        this.keyId = keyId;
        this.actorType = actorType;
        this.actor = actor;
        this.clientAddress = clientAddress;
        this.details = details;
        this.previousHash = previousHash;
        this.hash = hash;
    }

    @Override
    public Long getId() {
        return sequence;
    }

    /** Always new until stored, so that a save inserts without a look-up first. */
    @Override
    public boolean isNew() {
        return !stored;
    }

    @PostLoad
    @PostPersist
    void markStored() {
        stored = true;
    }

    public long getSequence() {
        return sequence;
    }

    public Instant getOccurredAt() {
        return occurredAt;
    }

    public String getAction() {
        return action;
    }

    public String getOutcome() {
        return outcome;
    }

    public String getApiKeyId() {
        return apiKeyId;
    }

    public String getKeyId() {
        return keyId;
    }

    public String getActorType() {
        return actorType;
    }

    public String getActor() {
        return actor;
    }

    public String getClientAddress() {
        return clientAddress;
    }

    public String getDetails() {
        return details;
    }

    public String getPreviousHash() {
        return previousHash;
    }

    public String getHash() {
        return hash;
    }

    @Override
    public String toString() {
        return "ApiKeyEventEntity[seq=" + sequence + ", action=" + action + ", outcome=" + outcome + "]";
    }
}
