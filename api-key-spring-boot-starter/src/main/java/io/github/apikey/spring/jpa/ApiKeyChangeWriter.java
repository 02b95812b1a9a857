package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import java.util.Optional;

/** The repository fragment that writes a key's changes column by column. */
public interface ApiKeyChangeWriter {

    /**
     * Writes exactly the columns that {@code changes} sets, in one {@code UPDATE ... WHERE id = ?}, so that a change
     * never undoes another one made at the same moment, on this instance or another.
     *
     * @return the row as stored after the change, or empty if there is none with this id
     */
    Optional<ApiKeyEntity> writeChanges(String id, ApiKeyChanges changes);
}
