package io.github.apikey.spring.jpa;

import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Nulls;
import jakarta.persistence.criteria.Order;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

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

    /**
     * Whether {@code filter} bounds a time (expiry, creation or last use) other than the one it is ordered by. An
     * index on the order's column then yields rows in order that the database must filter one by one, and PostgreSQL
     * takes that walk whenever it expects matches to be spread evenly along it: a bound on another time it believes
     * independent. Times of one key are rarely independent (expiry follows creation with a fixed lifetime, and the
     * keys expiring this week sit far down the creation index), so such a walk may read most of the table for one
     * page; {@link JpaApiKeyStore#find} bounds the walk and otherwise lets the database filter first.
     */
    public static boolean boundsATimeItDoesNotOrderBy(ApiKeyFilter filter) {
        ApiKeySortField order = filter.getOrderBy();
        return order != ApiKeySortField.EXPIRES_AT
                        && (filter.getExpiresBefore() != null || filter.getExpiresAfter() != null)
                || order != ApiKeySortField.CREATED_AT
                        && (filter.getCreatedBefore() != null || filter.getCreatedAfter() != null)
                || order != ApiKeySortField.LAST_USED_AT
                        && (filter.getLastUsedBefore() != null || filter.getLastUsedAfter() != null);
    }

    /**
     * The keys whose value of the filter's order comes no later in that order than {@code value}, ties included:
     * a prefix of the order, which the index of the order holds as one range. Keys without a value come last in
     * every order, so never here.
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Specification<ApiKeyEntity> noLaterInTheOrderThan(ApiKeyFilter filter, Comparable<?> value) {
        return (key, query, cb) -> {
            Expression column = key.get(filter.getOrderBy().propertyName());
            return filter.isOrderDescending() ? cb.greaterThanOrEqualTo(column, (Comparable) value)
                    : cb.lessThanOrEqualTo(column, (Comparable) value);
        };
    }

    /**
     * The order of {@link #sort}, with the column of the order wrapped in {@code coalesce(column, column)}: the same
     * order, which no index on the column produces, so that the database filters first and sorts the matches.
     */
    static List<Order> ordersNoIndexServes(ApiKeyFilter filter, Root<ApiKeyEntity> key, CriteriaBuilder cb) {
        Expression<?> column = key.get(filter.getOrderBy().propertyName());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Expression<?> sameValue = cb.coalesce((Expression) column, (Expression) column);
        Order primary = filter.isOrderDescending() ? cb.desc(sameValue, Nulls.LAST) : cb.asc(sameValue, Nulls.LAST);
        if (filter.getOrderBy() == ApiKeySortField.ID) {
            return List.of(primary);
        }
        return List.of(primary, cb.asc(key.get(ApiKeySortField.ID.propertyName())));
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
