package io.github.apikey.spring.jpa;

import io.github.apikey.spring.jpa.audit.ApiKeyEventEntity;

import java.time.Instant;
import java.util.List;

import org.springframework.data.domain.Limit;
import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * Spring Data repository of the audit trail's table, behind {@link JpaApiKeyEventStore}. Applications may inject it
 * for read queries of their own; events are appended through {@code ApiKeyService} only, which keeps the chain.
 */
public interface ApiKeyEventRepository extends JpaRepository<ApiKeyEventEntity, Long>,
        JpaSpecificationExecutor<ApiKeyEventEntity> {

    /** The chain in order, from after {@code sequence}. */
    List<ApiKeyEventEntity> findBySequenceGreaterThanOrderBySequenceAsc(long sequence, Limit limit);

    /** The newest event that occurred before {@code cutoff}, by sequence. */
    @Query("select max(e.sequence) from ApiKeyEventEntity e where e.occurredAt < :cutoff")
    Long lastSequenceBefore(@Param("cutoff") Instant cutoff);

    @Modifying
    @Query("delete from ApiKeyEventEntity e where e.sequence <= :sequence")
    int deleteThrough(@Param("sequence") long sequence);
}
