package io.github.apikey.spring.jpa;

import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

import org.springframework.data.jpa.domain.Specification;

import java.util.Objects;

/** {@link ApiKeyRowCounter} with a criteria query, in the caller's transaction. */
public class ApiKeyRowCounterImpl implements ApiKeyRowCounter {

    private final EntityManager entityManager;

    public ApiKeyRowCounterImpl(EntityManager entityManager) {
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
    }

    @Override
    public long countRows(Specification<ApiKeyEntity> specification) {
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<Long> query = cb.createQuery(Long.class);
        Root<ApiKeyEntity> key = query.from(ApiKeyEntity.class);
        Predicate matching = specification.toPredicate(key, query, cb);
        query.select(cb.count(cb.literal(1)));
        if (matching != null) {
            query.where(matching);
        }
        return entityManager.createQuery(query).getSingleResult();
    }
}
