package io.github.apikey.spring.jpa;

import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.springframework.data.jpa.domain.Specification;

/** {@link ApiKeyCriteriaQueries} with criteria queries, in the caller's transaction. */
public class ApiKeyCriteriaQueriesImpl implements ApiKeyCriteriaQueries {

    private final EntityManager entityManager;

    public ApiKeyCriteriaQueriesImpl(EntityManager entityManager) {
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
    }

    @Override
    public long countRows(Specification<ApiKeyEntity> specification) {
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<Long> query = cb.createQuery(Long.class);
        Root<ApiKeyEntity> key = query.from(ApiKeyEntity.class);
        where(query, specification.toPredicate(key, query, cb));
        query.select(cb.count(cb.literal(1)));
        return entityManager.createQuery(query).getSingleResult();
    }

    @Override
    public Optional<Comparable<?>> valueAt(ApiKeySortField field, boolean descending, int position) {
        if (position < 0) {
            throw new IllegalArgumentException("position must not be negative: " + position);
        }
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<Object> query = cb.createQuery(Object.class);
        Root<ApiKeyEntity> key = query.from(ApiKeyEntity.class);
        Path<Object> value = key.get(field.propertyName());
        // Without NULLS LAST, which MariaDB and MySQL would emulate with an expression no index serves: the nulls
        // are filtered out instead, so that every database reads the order from the field's index.
        query.select(value).where(cb.isNotNull(value)).orderBy(descending ? cb.desc(value) : cb.asc(value));
        return entityManager.createQuery(query).setFirstResult(position).setMaxResults(1).getResultList().stream()
                .findFirst().map(found -> (Comparable<?>) found);
    }

    @Override
    public List<String> findIdsSortingAllMatches(Specification<ApiKeyEntity> specification, ApiKeyFilter filter) {
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaQuery<String> query = cb.createQuery(String.class);
        Root<ApiKeyEntity> key = query.from(ApiKeyEntity.class);
        where(query, specification.toPredicate(key, query, cb));
        query.select(key.get(ApiKeySortField.ID.propertyName()))
                .orderBy(ApiKeySpecifications.ordersNoIndexServes(filter, key, cb));
        return entityManager.createQuery(query)
                .setFirstResult(filter.getOffset())
                .setMaxResults(filter.getLimit())
                .getResultList();
    }

    private static void where(CriteriaQuery<?> query, Predicate matching) {
        if (matching != null) {
            query.where(matching);
        }
    }
}
