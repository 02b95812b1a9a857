package io.github.apikey.spring.jpa;

import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class ApiKeySpecificationsTests {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aBoundOnATimeTheListingIsNotOrderedByIsTheShapeToProbe() {
        assertThat(probed(ApiKeyFilter.builder().expiresBefore(T))).isTrue();
        assertThat(probed(ApiKeyFilter.builder().expiresAfter(T).orderBy(ApiKeySortField.NAME, false))).isTrue();
        assertThat(probed(ApiKeyFilter.builder().lastUsedAfter(T).orderBy(ApiKeySortField.EXPIRES_AT, false)))
                .isTrue();
        assertThat(probed(ApiKeyFilter.builder().createdAfter(T).orderBy(ApiKeySortField.LAST_USED_AT, true)))
                .isTrue();
        assertThat(probed(ApiKeyFilter.builder().createdAfter(T).expiresBefore(T)
                .orderBy(ApiKeySortField.CREATED_AT, true))).isTrue();
    }

    @Test
    void aBoundOnlyOnTheTimeOfTheOrderOrNoBoundAtAllIsNot() {
        assertThat(probed(ApiKeyFilter.builder())).isFalse();
        assertThat(probed(ApiKeyFilter.builder().createdAfter(T))).isFalse();
        assertThat(probed(ApiKeyFilter.builder().expiresAfter(T).expiresBefore(T)
                .orderBy(ApiKeySortField.EXPIRES_AT, false))).isFalse();
        assertThat(probed(ApiKeyFilter.builder().lastUsedBefore(T).orderBy(ApiKeySortField.LAST_USED_AT, true)))
                .isFalse();
        assertThat(probed(ApiKeyFilter.builder().active(false).ownerId("o").neverUsed(true).nameExact("n")))
                .isFalse();
    }

    private static boolean probed(ApiKeyFilter.Builder filter) {
        return ApiKeySpecifications.boundsATimeItDoesNotOrderBy(filter.build());
    }
}
