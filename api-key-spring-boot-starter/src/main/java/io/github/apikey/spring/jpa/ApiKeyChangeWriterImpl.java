package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaUpdate;
import jakarta.persistence.criteria.Root;

import java.time.Instant;
import java.util.Optional;

/** {@link ApiKeyChangeWriter} with a JPA criteria update; runs in the caller's transaction. */
public class ApiKeyChangeWriterImpl implements ApiKeyChangeWriter {

    private final EntityManager entityManager;

    public ApiKeyChangeWriterImpl(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<ApiKeyEntity> writeChanges(String id, ApiKeyChanges changes) {
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaUpdate<ApiKeyEntity> update = cb.createCriteriaUpdate(ApiKeyEntity.class);
        Root<ApiKeyEntity> key = update.from(ApiKeyEntity.class);
        changes.name().ifPresent(name -> update.set(key.<String>get("name"), name));
        changes.description().ifPresent(description -> update.set(key.<String>get("description"),
                description.isPresent() ? cb.literal(description.get()) : cb.nullLiteral(String.class)));
        changes.active().ifPresent(active -> update.set(key.<Boolean>get("active"), active));
        changes.scopes().ifPresent(scopes -> update.set(key.<String>get("scopes"), ScopesJson.write(scopes)));
        changes.expiresAt().ifPresent(expiresAt -> update.set(key.<Instant>get("expiresAt"),
                expiresAt.isPresent() ? cb.literal(expiresAt.get()) : cb.nullLiteral(Instant.class)));
        update.where(cb.equal(key.get("id"), id));
        if (entityManager.createQuery(update).executeUpdate() == 0) {
            return Optional.empty();
        }
        // A bulk update bypasses the persistence context: a row the caller's transaction loaded before is stale
        // there. Refresh that one entity only; the rest of the caller's context stays as it is.
        ApiKeyEntity stored = entityManager.find(ApiKeyEntity.class, id);
        entityManager.refresh(stored);
        return Optional.of(stored);
    }
}
