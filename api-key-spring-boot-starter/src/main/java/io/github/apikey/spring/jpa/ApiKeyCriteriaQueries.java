package io.github.apikey.spring.jpa;

import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.domain.Specification;

/**
 * The repository fragment for the queries that Spring Data's specification methods cannot shape: counts that an
 * index alone answers, and the steps of a listing that the database must not answer by walking the index of its
 * order (see {@link JpaApiKeyStore#find}).
 */
public interface ApiKeyCriteriaQueries {

    /**
     * Counts the rows {@code specification} matches as {@code count(1)}. Spring Data's {@code count(Specification)}
     * counts the id, which PostgreSQL reads from the table or from an index that holds it: twice as slow for a
     * million rows as counting from the small index on the state.
     */
    long countRows(Specification<ApiKeyEntity> specification);

    /**
     * The value of {@code field} at {@code position} (from 0) among all keys that have one, in that order: read
     * from the field's index alone. Empty when fewer keys have a value.
     */
    Optional<Comparable<?>> valueAt(ApiKeySortField field, boolean descending, int position);

    /**
     * The ids of the page of {@code filter} among the rows {@code specification} matches, in the filter's order,
     * written so that no index can produce it. The database then finds every match through the indexes of the
     * filter (an index that also holds the order's column and the id answers alone) and sorts them, rather than
     * walk the index of the order, which may read most of the table before the matches begin.
     */
    List<String> findIdsSortingAllMatches(Specification<ApiKeyEntity> specification, ApiKeyFilter filter);
}
