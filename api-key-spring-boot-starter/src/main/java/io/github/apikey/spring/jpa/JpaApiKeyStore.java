package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.ApiKeyStateCounts;
import io.github.apikey.core.store.ApiKeyStore;
import io.github.apikey.core.store.CreditConsumption;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ApiKeyStore} on Spring Data JPA ({@link ApiKeyRepository}). Every call runs in its own short transaction
 * or joins the caller's; filters, order and pages run in the database; every write is one targeted statement that
 * touches only its own columns (the last-used time, or the fields a change sets), so that no write undoes another
 * on any instance. The caller's persistence context is never cleared. Failures of the database surface as
 * {@link ApiKeyStoreException}, a unique constraint violation as {@link DuplicateApiKeyException}.
 */
public class JpaApiKeyStore implements ApiKeyStore {

    private static final Pattern CONSTRAINT_NAME = Pattern.compile("[\"`']?([A-Za-z_][A-Za-z0-9_.]{0,127})");

    /**
     * How many rows of the order's index {@link #find} walks, at most, for a filter that bounds a time it is not
     * ordered by, before it lets the database sort every match instead.
     */
    static final int DEFAULT_ORDER_PREFIX = 10_000;

    private final ApiKeyRepository repository;
    private final TransactionTemplate writes;
    private final TransactionTemplate reads;
    private final int orderPrefix;

    public JpaApiKeyStore(ApiKeyRepository repository, PlatformTransactionManager transactionManager) {
        this(repository, transactionManager, DEFAULT_ORDER_PREFIX);
    }

    JpaApiKeyStore(ApiKeyRepository repository, PlatformTransactionManager transactionManager, int orderPrefix) {
        if (orderPrefix < 1) {
            throw new IllegalArgumentException("orderPrefix must be at least 1: " + orderPrefix);
        }
        this.repository = Objects.requireNonNull(repository, "repository");
        this.orderPrefix = orderPrefix;
        this.writes = new TransactionTemplate(transactionManager);
        this.reads = new TransactionTemplate(transactionManager);
        this.reads.setReadOnly(true);
        this.reads.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
    }

    @Override
    public Optional<ApiKey> findById(UUID id) {
        return read(() -> repository.findById(id.toString()).map(JpaApiKeyStore::toDomain));
    }

    @Override
    public Optional<ApiKey> findByKeyId(String keyId) {
        return read(() -> repository.findByKeyId(keyId).map(JpaApiKeyStore::toDomain));
    }

    @Override
    public ApiKey create(ApiKey key) {
        write(() -> repository.saveAndFlush(toEntity(key)));
        return key.copy();
    }

    @Override
    public Optional<ApiKey> update(UUID id, ApiKeyChanges changes) {
        Objects.requireNonNull(changes, "changes");
        return write(() -> repository.writeChanges(id.toString(), changes).map(JpaApiKeyStore::toDomain));
    }

    @Override
    public Optional<ApiKey> rotate(UUID id, SecretRotation rotation) {
        Objects.requireNonNull(rotation, "rotation");
        return write(() -> repository.rotateSecret(id.toString(), rotation).map(JpaApiKeyStore::toDomain));
    }

    @Override
    public CreditConsumption consumeCredit(UUID id, Instant now) {
        Objects.requireNonNull(now, "now");
        return write(() -> repository.consumeCredit(id.toString(), now));
    }

    @Override
    public void recordUse(UUID id, Instant usedAt) {
        Objects.requireNonNull(usedAt, "usedAt");
        write(() -> repository.recordUse(id.toString(), usedAt));
    }

    /** One transaction, one targeted update per key. */
    @Override
    public void recordUses(Map<UUID, Instant> uses) {
        if (uses.isEmpty()) {
            return;
        }
        write(() -> {
            uses.forEach((id, usedAt) -> repository.recordUse(id.toString(), usedAt));
            return null;
        });
    }

    @Override
    public boolean deleteById(UUID id) {
        return write(() -> repository.deleteKey(id.toString()) > 0);
    }

    @Override
    public List<ApiKey> list(int offset, int limit) {
        return find(ApiKeyFilter.builder().page(offset, limit).build());
    }

    /**
     * One page in the filter's order. A filter that bounds a time it is not ordered by (keys expiring this week,
     * newest first; see {@link ApiKeySpecifications#boundsATimeItDoesNotOrderBy}) must not leave the database free
     * to walk the index of the order past keys that do not match: at a million keys that took 0.2 to 0.5 s. It runs
     * in up to three steps, each bounded by an index:
     * <ol>
     * <li>the value at position {@link #DEFAULT_ORDER_PREFIX} of the order, read from the order's index;</li>
     * <li>the page among the keys up to that value, a walk of at most that many rows, enough when matches are
     * spread along the order (keys not expired, newest first);</li>
     * <li>otherwise the ids of the page, the database finding every match through the filter's index and sorting
     * them (keys expiring this week, or expired, newest first), then those keys by id.</li>
     * </ol>
     */
    @Override
    public List<ApiKey> find(ApiKeyFilter filter) {
        Specification<ApiKeyEntity> matching = ApiKeySpecifications.matching(filter);
        return read(() -> (ApiKeySpecifications.boundsATimeItDoesNotOrderBy(filter)
                ? findBoundedByAnotherTime(matching, filter)
                : findInTheOrdersIndexOrder(matching, filter))
                .stream().map(JpaApiKeyStore::toDomain).toList());
    }

    private List<ApiKeyEntity> findBoundedByAnotherTime(Specification<ApiKeyEntity> matching, ApiKeyFilter filter) {
        Optional<Comparable<?>> endOfPrefix = repository.valueAt(filter.getOrderBy(), filter.isOrderDescending(),
                orderPrefix - 1);
        if (endOfPrefix.isPresent()) {
            List<ApiKeyEntity> page = findInTheOrdersIndexOrder(
                    matching.and(ApiKeySpecifications.noLaterInTheOrderThan(filter, endOfPrefix.get())), filter);
            if (page.size() == filter.getLimit()) {
                return page;
            }
        }
        List<String> ids = repository.findIdsSortingAllMatches(matching, filter);
        Map<String, ApiKeyEntity> keys = new HashMap<>();
        repository.findAllById(ids).forEach(key -> keys.put(key.getId(), key));
        // A key deleted between the two reads is left out, as it would be from a later page.
        return ids.stream().map(keys::get).filter(Objects::nonNull).toList();
    }

    private List<ApiKeyEntity> findInTheOrdersIndexOrder(Specification<ApiKeyEntity> matching, ApiKeyFilter filter) {
        // Scroll positions are exclusive: offset n starts after the element at n - 1. No count query is run.
        ScrollPosition start = filter.getOffset() == 0 ? ScrollPosition.offset()
                : ScrollPosition.offset(filter.getOffset() - 1L);
        return repository.findBy(matching, query -> query.sortBy(ApiKeySpecifications.sort(filter))
                .limit(filter.getLimit()).scroll(start)).getContent();
    }

    @Override
    public long count(ApiKeyFilter filter) {
        return read(() -> repository.countRows(ApiKeySpecifications.matching(filter)));
    }

    /** One query over the table, whatever the number of keys, instead of one count per state. */
    @Override
    public ApiKeyStateCounts countStates(Instant now, Instant expiringBefore, Instant unusedSince) {
        return read(() -> {
            Object[] row = repository.countStates(now.truncatedTo(ChronoUnit.MICROS), expiringBefore, unusedSince)
                    .get(0);
            return new ApiKeyStateCounts(number(row[0]), number(row[1]), number(row[2]), number(row[3]),
                    number(row[4]), number(row[5]), number(row[6]));
        });
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private <T> T read(Supplier<T> work) {
        return execute(reads, work);
    }

    private <T> T write(Supplier<T> work) {
        return execute(writes, work);
    }

    private static <T> T execute(TransactionTemplate template, Supplier<T> work) {
        try {
            return template.execute(status -> work.get());
        } catch (ApiKeyException e) {
            throw e;
        } catch (RuntimeException e) {
            if (isUniqueViolation(e)) {
                // Without the driver's exception as the cause: PostgreSQL and MariaDB quote the clashing value in
                // it, and that value may be a key hash. The constraint's name is all that helps, and is no secret.
                throw new DuplicateApiKeyException("An API key with the same id, key id or hash is already stored"
                        + violatedConstraint(e).map(name -> " (constraint " + name + ")").orElse(""));
            }
            throw new ApiKeyStoreException("The API key store could not complete the operation: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /**
     * SQLSTATE class 23 is an integrity constraint violation in every database this store supports. The driver's state
     * decides wherever there is one: Spring's {@link DataIntegrityViolationException} also wraps a value too long for
     * its column (22001), which is no duplicate, and was answered as one.
     */
    private static boolean isUniqueViolation(Throwable failure) {
        boolean integrity = false;
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState().startsWith("23");
            }
            integrity |= cause instanceof DataIntegrityViolationException;
        }
        return integrity;
    }

    /**
     * The name of the violated constraint, as Hibernate extracted it from the database's message: only its leading
     * identifier, since H2's extract goes on to describe the index, and values must never follow.
     */
    private static Optional<String> violatedConstraint(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof org.hibernate.exception.ConstraintViolationException violation
                    && violation.getConstraintName() != null) {
                Matcher name = CONSTRAINT_NAME.matcher(violation.getConstraintName());
                return name.lookingAt() ? Optional.of(name.group(1)) : Optional.empty();
            }
        }
        return Optional.empty();
    }

    static ApiKeyEntity toEntity(ApiKey key) {
        CreditRefill refill = key.getRefill();
        return new ApiKeyEntity(key.getId().toString(), key.getName(), key.getDescription(), key.isActive(),
                key.getExpiresAt(), key.getCreatedAt(), key.getLastUsedAt(), key.getKeyId(), key.getKeyHash(),
                key.getSecretFirst(), key.getSecretLast(), ScopesJson.write(key.getScopes()))
                .withLifecycle(key.getOwnerId(), MetadataJson.write(key.getMetadata()),
                        listColumn(key.getAllowedIps()), listColumn(key.getAllowedOrigins()), key.getRemaining(),
                        refill == null ? null : refill.amount(), refill == null ? null : refill.interval().name(),
                        key.getLastRefillAt(), key.getRotatedAt(), key.getPreviousKeyHash(),
                        key.getPreviousSecretExpiresAt())
                .withRateLimits(RateLimitsJson.write(key.getRateLimits()));
    }

    /** A list as its JSON array text, or {@code null} when empty, the value rows written by keyshield have. */
    static String listColumn(List<String> values) {
        return values == null || values.isEmpty() ? null : ScopesJson.write(values);
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
                .ownerId(entity.getOwnerId())
                .metadata(MetadataJson.read(entity.getMetadata()))
                .allowedIps(ScopesJson.read(entity.getAllowedIps()))
                .allowedOrigins(ScopesJson.read(entity.getAllowedOrigins()))
                .remaining(entity.getRemaining())
                .refill(refill(entity.getRefillAmount(), entity.getRefillInterval()))
                .lastRefillAt(entity.getLastRefillAt())
                .rotatedAt(entity.getRotatedAt())
                .previousKeyHash(entity.getPreviousKeyHash())
                .previousSecretExpiresAt(entity.getPreviousSecretExpiresAt())
                .rateLimits(RateLimitsJson.read(entity.getRateLimits()))
                .build();
    }

    /** A refill needs both columns; a row with only one of them (written by hand, say) has none. */
    private static CreditRefill refill(Long amount, String interval) {
        if (amount == null || interval == null) {
            return null;
        }
        return new CreditRefill(amount, CreditRefill.Interval.valueOf(interval));
    }

    @Override
    public String toString() {
        return "JpaApiKeyStore";
    }
}
