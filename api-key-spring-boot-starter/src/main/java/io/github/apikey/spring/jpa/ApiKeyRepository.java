package io.github.apikey.spring.jpa;

import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.JpaSpecificationExecutor;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;

/**
 * Spring Data repository of the key table, behind {@link JpaApiKeyStore}. Applications may inject it for read
 * queries of their own (with {@link ApiKeySpecifications} or their own specifications). Change keys through
 * {@code ApiKeyService}, never through this repository: the service also validates the change and evicts the key
 * from the caches of every instance.
 */
public interface ApiKeyRepository extends JpaRepository<ApiKeyEntity, String>,
        JpaSpecificationExecutor<ApiKeyEntity>, ApiKeyChangeWriter, ApiKeyCriteriaQueries {

    Optional<ApiKeyEntity> findByKeyId(String keyId);

    /** Moves the last-used time forward only, so that it never undoes a concurrent change or an earlier use. */
    @Modifying
    @Query("update ApiKeyEntity k set k.lastUsedAt = :usedAt where k.id = :id "
            + "and (k.lastUsedAt is null or k.lastUsedAt < :usedAt)")
    int recordUse(@Param("id") String id, @Param("usedAt") Instant usedAt);

    /** One statement, which reports whether a row was there, instead of a select and a remove. */
    @Modifying
    @Query("delete from ApiKeyEntity k where k.id = :id")
    int deleteKey(@Param("id") String id);

    /**
     * The counts of {@code ApiKeyStore.countStates} in one pass over the table: total, active, inactive, expired,
     * expiring before {@code expiringBefore}, never used, last used before {@code unusedSince}. Sums are null on an
     * empty table.
     */
    @Query("select count(k), "
            + "sum(case when k.active = true and (k.expiresAt is null or k.expiresAt > :now) then 1 else 0 end), "
            + "sum(case when k.active = false then 1 else 0 end), "
            + "sum(case when k.active = true and k.expiresAt <= :now then 1 else 0 end), "
            + "sum(case when k.active = true and k.expiresAt > :now and k.expiresAt < :expiringBefore "
            + "then 1 else 0 end), "
            + "sum(case when k.lastUsedAt is null then 1 else 0 end), "
            + "sum(case when k.lastUsedAt < :unusedSince then 1 else 0 end) from ApiKeyEntity k")
    List<Object[]> countStates(@Param("now") Instant now, @Param("expiringBefore") Instant expiringBefore,
                               @Param("unusedSince") Instant unusedSince);
}
