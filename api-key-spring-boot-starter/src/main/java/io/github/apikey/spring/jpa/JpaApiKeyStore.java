package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeySortField;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaQuery;
import jakarta.persistence.criteria.Expression;
import jakarta.persistence.criteria.Nulls;
import jakarta.persistence.criteria.Order;
import jakarta.persistence.criteria.Path;
import jakarta.persistence.criteria.Predicate;
import jakarta.persistence.criteria.Root;

import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

import org.springframework.orm.jpa.SharedEntityManagerCreator;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ApiKeyStore} on JPA. Every call runs in its own short transaction (or joins the caller's), filters, orders
 * and pages in the database, and writes the last-used time and the administrator fields with targeted UPDATEs, so
 * that neither can undo the other. Failures of the database surface as {@link ApiKeyStoreException}; a unique
 * constraint violation as {@link DuplicateApiKeyException}.
 */
public class JpaApiKeyStore implements ApiKeyStore {

    private static final char LIKE_ESCAPE = '!';
    private static final String RECORD_USE = "update ApiKeyEntity k set k.lastUsedAt = :usedAt where k.id = :id "
            + "and (k.lastUsedAt is null or k.lastUsedAt < :usedAt)";

    private final EntityManager entityManager;
    private final TransactionTemplate writes;
    private final TransactionTemplate reads;

    public JpaApiKeyStore(EntityManagerFactory entityManagerFactory, PlatformTransactionManager transactionManager) {
        requireMapped(entityManagerFactory);
        this.entityManager = SharedEntityManagerCreator.createSharedEntityManager(entityManagerFactory);
        this.writes = new TransactionTemplate(transactionManager);
        this.reads = new TransactionTemplate(transactionManager);
        this.reads.setReadOnly(true);
        this.reads.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
    }

    private static void requireMapped(EntityManagerFactory entityManagerFactory) {
        try {
            entityManagerFactory.getMetamodel().entity(ApiKeyEntity.class);
        } catch (IllegalArgumentException notManaged) {
            throw new IllegalStateException("The API key entity " + ApiKeyEntity.class.getName()
                    + " is not mapped by the application's EntityManagerFactory, so keys cannot be stored. This "
                    + "happens when a custom EntityManagerFactory lists its packages explicitly. Add the package "
                    + ApiKeyEntity.class.getPackageName() + " to its packages to scan (for example "
                    + "@EntityScan(basePackageClasses = { YourEntity.class, ApiKeyEntity.class })), or define "
                    + "your own ApiKeyStore bean.", notManaged);
        }
    }

    @Override
    public Optional<ApiKey> findById(UUID id) {
        return read(em -> Optional.ofNullable(em.find(ApiKeyEntity.class, id.toString())).map(JpaApiKeyStore::toDomain));
    }

    @Override
    public Optional<ApiKey> findByKeyId(String keyId) {
        return read(em -> em.createQuery("select k from ApiKeyEntity k where k.keyId = :keyId", ApiKeyEntity.class)
                .setParameter("keyId", keyId)
                .getResultStream()
                .findFirst()
                .map(JpaApiKeyStore::toDomain));
    }

    @Override
    public ApiKey create(ApiKey key) {
        ApiKeyEntity entity = toEntity(key);
        write(em -> {
            em.persist(entity);
            em.flush();
            return null;
        });
        return key.copy();
    }

    @Override
    public Optional<ApiKey> update(ApiKey key) {
        return write(em -> {
            int updated = em.createQuery("update ApiKeyEntity k set k.name = :name, k.description = :description, "
                            + "k.active = :active, k.scopes = :scopes, k.expiresAt = :expiresAt where k.id = :id")
                    .setParameter("name", key.getName())
                    .setParameter("description", key.getDescription())
                    .setParameter("active", key.isActive())
                    .setParameter("scopes", ScopesJson.write(key.getScopes()))
                    .setParameter("expiresAt", key.getExpiresAt())
                    .setParameter("id", key.getId().toString())
                    .executeUpdate();
            if (updated == 0) {
                return Optional.<ApiKey>empty();
            }
            em.clear();
            return Optional.ofNullable(em.find(ApiKeyEntity.class, key.getId().toString()))
                    .map(JpaApiKeyStore::toDomain);
        });
    }

    @Override
    public void recordUse(UUID id, Instant usedAt) {
        Objects.requireNonNull(usedAt, "usedAt");
        write(em -> em.createQuery(RECORD_USE)
                .setParameter("usedAt", usedAt)
                .setParameter("id", id.toString())
                .executeUpdate());
    }

    /** One transaction, one targeted update per key. */
    @Override
    public void recordUses(Map<UUID, Instant> uses) {
        if (uses.isEmpty()) {
            return;
        }
        write(em -> {
            for (Map.Entry<UUID, Instant> use : uses.entrySet()) {
                em.createQuery(RECORD_USE)
                        .setParameter("usedAt", use.getValue())
                        .setParameter("id", use.getKey().toString())
                        .executeUpdate();
            }
            return null;
        });
    }

    @Override
    public boolean deleteById(UUID id) {
        return write(em -> em.createQuery("delete from ApiKeyEntity k where k.id = :id")
                .setParameter("id", id.toString())
                .executeUpdate() > 0);
    }

    @Override
    public List<ApiKey> list(int offset, int limit) {
        return find(ApiKeyFilter.builder().page(offset, limit).build());
    }

    @Override
    public List<ApiKey> find(ApiKeyFilter filter) {
        return read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<ApiKeyEntity> query = cb.createQuery(ApiKeyEntity.class);
            Root<ApiKeyEntity> key = query.from(ApiKeyEntity.class);
            query.select(key).where(criteria(cb, key, filter)).orderBy(order(cb, key, filter));
            return em.createQuery(query)
                    .setFirstResult(filter.getOffset())
                    .setMaxResults(filter.getLimit())
                    .getResultList()
                    .stream()
                    .map(JpaApiKeyStore::toDomain)
                    .toList();
        });
    }

    @Override
    public long count(ApiKeyFilter filter) {
        return read(em -> {
            CriteriaBuilder cb = em.getCriteriaBuilder();
            CriteriaQuery<Long> query = cb.createQuery(Long.class);
            Root<ApiKeyEntity> key = query.from(ApiKeyEntity.class);
            query.select(cb.count(key)).where(criteria(cb, key, filter));
            return em.createQuery(query).getSingleResult();
        });
    }

    private static Predicate[] criteria(CriteriaBuilder cb, Root<ApiKeyEntity> key, ApiKeyFilter filter) {
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
            predicates.add(filter.getNeverUsed() ? cb.isNull(key.get("lastUsedAt")) : cb.isNotNull(key.get("lastUsedAt")));
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
        return predicates.toArray(Predicate[]::new);
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

    private static List<Order> order(CriteriaBuilder cb, Root<ApiKeyEntity> key, ApiKeyFilter filter) {
        Path<?> primary = key.get(filter.getOrderBy().propertyName());
        Order first = filter.isOrderDescending() ? cb.desc(primary, Nulls.LAST) : cb.asc(primary, Nulls.LAST);
        if (filter.getOrderBy() == ApiKeySortField.ID) {
            return List.of(first);
        }
        return List.of(first, cb.asc(key.get("id")));
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

    private <T> T read(Function<EntityManager, T> work) {
        return execute(reads, work);
    }

    private <T> T write(Function<EntityManager, T> work) {
        return execute(writes, work);
    }

    private <T> T execute(TransactionTemplate template, Function<EntityManager, T> work) {
        try {
            return template.execute(status -> work.apply(entityManager));
        } catch (ApiKeyException e) {
            throw e;
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                throw new DuplicateApiKeyException("An API key with the same id, key id or hash is already stored", e);
            }
            throw new ApiKeyStoreException("The API key store could not complete the operation: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** SQLSTATE class 23 is an integrity constraint violation in every database this store supports. */
    private static boolean isUniqueViolation(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null && sql.getSQLState().startsWith("23")) {
                return true;
            }
            if (cause instanceof org.springframework.dao.DataIntegrityViolationException) {
                return true;
            }
        }
        return false;
    }

    static ApiKeyEntity toEntity(ApiKey key) {
        return new ApiKeyEntity(key.getId().toString(), key.getName(), key.getDescription(), key.isActive(),
                key.getExpiresAt(), key.getCreatedAt(), key.getLastUsedAt(), key.getKeyId(), key.getKeyHash(),
                key.getSecretFirst(), key.getSecretLast(), ScopesJson.write(key.getScopes()));
    }

    static ApiKey toDomain(ApiKeyEntity entity) {
        return ApiKey.builder()
                .id(UUID.fromString(entity.getId()))
                .keyId(entity.getKeyId())
                .keyHash(entity.getKeyHash())
                .secretFirst(entity.getKeySecretFirst())
                .secretLast(entity.getKeySecretLast())
                .name(entity.getName() == null ? "" : entity.getName())
                .description(entity.getDescription())
                .active(entity.isActive())
                .scopes(ScopesJson.read(entity.getScopes()))
                .createdAt(entity.getCreatedAt())
                .expiresAt(entity.getExpiresAt())
                .lastUsedAt(entity.getLastUsedAt())
                .build();
    }

    @Override
    public String toString() {
        return "JpaApiKeyStore";
    }
}
