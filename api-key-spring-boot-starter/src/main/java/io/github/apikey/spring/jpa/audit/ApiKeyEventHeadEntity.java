package io.github.apikey.spring.jpa.audit;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * The audit chain's head: one row ({@value #MAIN}) holding the last event's sequence and hash. Appends lock it
 * ({@code SELECT ... FOR UPDATE}) before anything else, so the appends of every instance form one chain.
 */
@Entity(name = "ApiKeyEventHeadEntity")
@Table(name = ApiKeyEventHeadEntity.LOGICAL_TABLE_NAME)
public class ApiKeyEventHeadEntity {

    public static final String LOGICAL_TABLE_NAME = "api_key_events_head";

    public static final String MAIN = "main";

    @Id
    @Column(name = "chain", length = 16, nullable = false, updatable = false)
    private String chain;

    @Column(name = "last_seq", nullable = false)
    private long lastSequence;

    @Column(name = "last_hash", length = 64, nullable = false)
    private String lastHash;

    protected ApiKeyEventHeadEntity() {
    }

    public ApiKeyEventHeadEntity(String chain, long lastSequence, String lastHash) {
        this.chain = chain;
        this.lastSequence = lastSequence;
        this.lastHash = lastHash;
    }

    public long getLastSequence() {
        return lastSequence;
    }

    public String getLastHash() {
        return lastHash;
    }

    public void advance(long sequence, String hash) {
        this.lastSequence = sequence;
        this.lastHash = hash;
    }
}
