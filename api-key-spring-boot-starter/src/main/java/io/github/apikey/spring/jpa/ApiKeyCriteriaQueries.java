package io.github.apikey.spring.jpa;

import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import org.springframework.data.jpa.domain.Specification;

/** The repository fragment that counts keys without reading any column, so that an index alone can answer. */
public interface ApiKeyRowCounter {

    /**
     * Counts the rows {@code specification} matches as {@code count(1)}. Spring Data's {@code count(Specification)}
     * counts the id, which PostgreSQL reads from the table or from an index that holds it: twice as slow for a
     * million rows as counting from the small index on the state.
     */
    long countRows(Specification<ApiKeyEntity> specification);
}
