package io.github.apikey.spring.jpa;

import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;

/** Specifications and sorts of the key table, for {@link ApiKeyRepository}. */
public final class ApiKeySpecifications {

    private static final char LIKE_ESCAPE = '!';

    private ApiKeySpecifications() {
    }

    /** The keys that match every criterion of {@code filter}; its order and page are left to {@link #sort}. */
    public static Specification<ApiKeyEntity> matching(ApiKeyFilter filter) {
        return (key, query, cb) -> {
            List<Predicate> predicates = new ArrayList<>();
            if (filter.getActive() != null) {
                predicates.add(cb.equal(key.get("active"), filter.getActive()));
            }
            addBefore(cb, predicates, key.get("expiresAt"), filter.getExpiresBefore());
            addAfter(cb, predicates, key.get("expiresAt"), filter.getExpiresAfter());
            addBefore(cb, predicates, key.get("createdAt"), filter.getCreatedBefore());
            addAfter(cb, predicates, key.get("createdAt"), filter.getCreatedAfter());
            addBefore(cb, predicates, key.get("lastUsedAt"), filter.getLastUsedBefore());
            addAfter(cb, predicates, key.get("lastUsedAt"), filter.getLastUsedAfter());
            if (filter.getNeverUsed() != null) {
                Path<Instant> lastUsedAt = key.get("lastUsedAt");
                predicates.add(filter.getNeverUsed() ? cb.isNull(lastUsedAt) : cb.isNotNull(lastUsedAt));
            }
            Path<String> scopes = key.get("scopes");
            for (String scope : filter.getScopesContainAll()) {
                predicates.add(containsScope(cb, scopes, scope));
            }
            if (!filter.getScopesContainAny().isEmpty()) {
                predicates.add(cb.or(filter.getScopesContainAny().stream()
                        .map(scope -> containsScope(cb, scopes, scope)).toArray(Predicate[]::new)));
            }
            if (filter.getNameContains() != null) {
                predicates.add(cb.like(cb.lower(key.get("name")),
                        "%" + escapeLike(filter.getNameContains().toLowerCase(Locale.ROOT)) + "%", LIKE_ESCAPE));
            }
            if (filter.getNameExact() != null) {
                predicates.add(cb.equal(key.get("name"), filter.getNameExact()));
            }
            if (filter.getOwnerId() != null) {
                predicates.add(cb.equal(key.get("ownerId"), filter.getOwnerId()));
            }
            Path<String> metadata = key.get("metadata");
            filter.getMetadataEquals().forEach((name, value) ->
                    predicates.add(MetadataPredicates.equal(cb, metadata, name, value)));
            return cb.and(predicates.toArray(Predicate[]::new));
        };
    }

    /** The order of {@code filter}, missing values last, with the id breaking ties so that pages are stable. */
    public static Sort sort(ApiKeyFilter filter) {
        String property = filter.getOrderBy().propertyName();
        Sort.Order primary = (filter.isOrderDescending() ? Sort.Order.desc(property) : Sort.Order.asc(property))
                .nullsLast();
        if (filter.getOrderBy() == ApiKeySortField.ID) {
            return Sort.by(primary);
        }
        return Sort.by(primary, Sort.Order.asc(ApiKeySortField.ID.propertyName()));
    }

    /** Matches the quoted element in the stored array text, so that {@code read} never matches {@code reader}. */
    private static Predicate containsScope(CriteriaBuilder cb, Expression<String> scopes, String scope) {
        return cb.like(scopes, "%" + escapeLike(ScopesJson.element(scope)) + "%", LIKE_ESCAPE);
    }

    private static void addBefore(CriteriaBuilder cb, List<Predicate> predicates, Path<Instant> path, Instant bound) {
        if (bound != null) {
            predicates.add(cb.lessThan(path, bound));
        }
    }

    private static void addAfter(CriteriaBuilder cb, List<Predicate> predicates, Path<Instant> path, Instant bound) {
        if (bound != null) {
            predicates.add(cb.greaterThan(path, bound));
        }
    }

    private static String escapeLike(String text) {
        StringBuilder escaped = new StringBuilder(text.length() + 8);
        for (char c : text.toCharArray()) {
            if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
                escaped.append(LIKE_ESCAPE);
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
