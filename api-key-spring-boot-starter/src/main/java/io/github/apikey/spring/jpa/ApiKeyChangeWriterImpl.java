package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.domain.IpRange;
import io.github.apikey.core.domain.Origins;
import io.github.apikey.core.domain.SecretRotation;
import io.github.apikey.core.store.CreditConsumption;
import io.github.apikey.spring.jpa.entity.ApiKeyEntity;

import jakarta.persistence.EntityManager;
import jakarta.persistence.criteria.CriteriaBuilder;
import jakarta.persistence.criteria.CriteriaUpdate;
import jakarta.persistence.criteria.Root;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.hibernate.Hibernate;

/** {@link ApiKeyChangeWriter} with JPA bulk updates; runs in the caller's transaction. */
public class ApiKeyChangeWriterImpl implements ApiKeyChangeWriter {

    /** A daily refill that was never done or last done before today (UTC). */
    private static final String DAILY_DUE = "(k.refillAmount is not null and k.refillInterval = 'DAILY' "
            + "and (k.lastRefillAt is null or k.lastRefillAt < :dayStart))";

    /** A monthly refill that was never done or last done before this month (UTC). */
    private static final String MONTHLY_DUE = "(k.refillAmount is not null and k.refillInterval = 'MONTHLY' "
            + "and (k.lastRefillAt is null or k.lastRefillAt < :monthStart))";

    private static final String REFILL_DUE = "(" + DAILY_DUE + " or " + MONTHLY_DUE + ")";

    /**
     * One credit, in one statement: when the refill is due, the credits become the refill amount less the one
     * consumed and the refill time the period start; else one is taken where one is left. The remaining count is
     * assigned first on purpose: MariaDB and MySQL evaluate single-table SET assignments left to right, each seeing
     * the ones before, so the refill condition must still see the old refill time when it decides the count. The
     * refill time's CASE keeps the column as its last branch so that PostgreSQL types the bound period starts
     * (which its driver sends untyped) as timestamps.
     */
    private static final String CONSUME = "update ApiKeyEntity k set "
            + "k.remaining = case when " + REFILL_DUE + " then k.refillAmount - 1 else k.remaining - 1 end, "
            + "k.lastRefillAt = case when " + DAILY_DUE + " then :dayStart when " + MONTHLY_DUE
            + " then :monthStart else k.lastRefillAt end "
            + "where k.id = :id and k.remaining is not null and ((" + REFILL_DUE + " and k.refillAmount > 0) "
            + "or (not " + REFILL_DUE + " and k.remaining > 0))";

    /**
     * The previous hash is assigned before the hash on purpose: MariaDB and MySQL evaluate the assignments left to
     * right, so {@code previousKeyHash = keyHash} must come first to see the hash being replaced (PostgreSQL and H2
     * see the old row in every assignment, so the order is right for them too). One statement, so the row lock
     * orders concurrent rotations: each replaces the hash the one before it wrote.
     */
    private static final String ROTATE_KEEPING_PREVIOUS = "update ApiKeyEntity k set k.previousKeyHash = k.keyHash, "
            + "k.previousSecretExpiresAt = :previousExpiresAt, k.keyHash = :keyHash, "
            + "k.keySecretFirst = :secretFirst, k.keySecretLast = :secretLast, k.rotatedAt = :rotatedAt "
            + "where k.id = :id";

    private static final String ROTATE_DROPPING_PREVIOUS = "update ApiKeyEntity k set k.previousKeyHash = null, "
            + "k.previousSecretExpiresAt = null, k.keyHash = :keyHash, k.keySecretFirst = :secretFirst, "
            + "k.keySecretLast = :secretLast, k.rotatedAt = :rotatedAt where k.id = :id";

    private final EntityManager entityManager;

    public ApiKeyChangeWriterImpl(EntityManager entityManager) {
        this.entityManager = entityManager;
    }

    @Override
    public Optional<ApiKeyEntity> writeChanges(String id, ApiKeyChanges changes) {
        CriteriaBuilder cb = entityManager.getCriteriaBuilder();
        CriteriaUpdate<ApiKeyEntity> update = cb.createCriteriaUpdate(ApiKeyEntity.class);
        Root<ApiKeyEntity> key = update.from(ApiKeyEntity.class);
        changes.name().ifPresent(name -> update.set(key.<String>get("name"), name));
        changes.description().ifPresent(description -> update.set(key.<String>get("description"),
                description.isPresent() ? cb.literal(description.get()) : cb.nullLiteral(String.class)));
        changes.active().ifPresent(active -> update.set(key.<Boolean>get("active"), active));
        changes.scopes().ifPresent(scopes -> update.set(key.<String>get("scopes"), ScopesJson.write(scopes)));
        changes.expiresAt().ifPresent(expiresAt -> update.set(key.<Instant>get("expiresAt"),
                expiresAt.isPresent() ? cb.literal(expiresAt.get()) : cb.nullLiteral(Instant.class)));
        changes.ownerId().ifPresent(ownerId -> setText(cb, update, key, "ownerId", ownerId.orElse(null)));
        changes.metadata().ifPresent(metadata -> setText(cb, update, key, "metadata",
                MetadataJson.write(metadata)));
        changes.allowedIps().ifPresent(ips -> setText(cb, update, key, "allowedIps",
                JpaApiKeyStore.listColumn(canonicalRanges(ips))));
        changes.allowedOrigins().ifPresent(origins -> setText(cb, update, key, "allowedOrigins",
                JpaApiKeyStore.listColumn(normalizedOrigins(origins))));
        changes.remaining().ifPresent(remaining -> update.set(key.<Long>get("remaining"),
                remaining.isPresent() ? cb.literal(remaining.get()) : cb.nullLiteral(Long.class)));
        changes.refill().ifPresent(refill -> {
            CreditRefill value = refill.orElse(null);
            update.set(key.<Long>get("refillAmount"),
                    value == null ? cb.nullLiteral(Long.class) : cb.literal(value.amount()));
            setText(cb, update, key, "refillInterval", value == null ? null : value.interval().name());
        });
        changes.lastRefillAt().ifPresent(lastRefillAt -> update.set(key.<Instant>get("lastRefillAt"),
                lastRefillAt.isPresent() ? cb.literal(lastRefillAt.get()) : cb.nullLiteral(Instant.class)));
        changes.rateLimits().ifPresent(limits -> setText(cb, update, key, "rateLimits",
                RateLimitsJson.write(limits)));
        update.where(cb.equal(key.get("id"), id));
        if (entityManager.createQuery(update).executeUpdate() == 0) {
            return Optional.empty();
        }
        return Optional.of(reloaded(id));
    }

    @Override
    public Optional<ApiKeyEntity> rotateSecret(String id, SecretRotation rotation) {
        boolean keep = rotation.keepsPreviousSecret();
        var update = entityManager.createQuery(keep ? ROTATE_KEEPING_PREVIOUS : ROTATE_DROPPING_PREVIOUS)
                .setParameter("id", id)
                .setParameter("keyHash", rotation.keyHash())
                .setParameter("secretFirst", rotation.secretFirst())
                .setParameter("secretLast", rotation.secretLast())
                .setParameter("rotatedAt", rotation.rotatedAt());
        if (keep) {
            update.setParameter("previousExpiresAt", rotation.previousSecretExpiresAt());
        }
        if (update.executeUpdate() == 0) {
            return Optional.empty();
        }
        return Optional.of(reloaded(id));
    }

    @Override
    public CreditConsumption consumeCredit(String id, Instant now) {
        int updated = entityManager.createQuery(CONSUME)
                .setParameter("id", id)
                .setParameter("dayStart", CreditRefill.Interval.DAILY.periodStart(now))
                .setParameter("monthStart", CreditRefill.Interval.MONTHLY.periodStart(now))
                .executeUpdate();
        refreshIfLoaded(id);
        // A scalar query: reads the column as it is now in this transaction, without loading the entity.
        List<Long> remaining = entityManager.createQuery(
                        "select k.remaining from ApiKeyEntity k where k.id = :id", Long.class)
                .setParameter("id", id).getResultList();
        if (remaining.isEmpty()) {
            return CreditConsumption.NOT_FOUND;
        }
        Long left = remaining.get(0);
        if (updated > 0) {
            // The update locked the row until this transaction ends, so the count read is the one it wrote.
            return CreditConsumption.consumed(left);
        }
        return left == null ? CreditConsumption.NOT_COUNTED : CreditConsumption.EXHAUSTED;
    }

    /**
     * A bulk update bypasses the persistence context: a row the caller's transaction loaded before is stale there.
     * Refresh that one entity only; the rest of the caller's context stays as it is.
     */
    private ApiKeyEntity reloaded(String id) {
        ApiKeyEntity stored = entityManager.find(ApiKeyEntity.class, id);
        entityManager.refresh(stored);
        return stored;
    }

    /**
     * As {@link #reloaded}, but only when the caller's context holds the entity already: consuming a credit is on
     * the verification path and loads nothing it does not need. {@code getReference} returns the managed instance
     * if there is one, else an uninitialized reference that costs no query.
     */
    private void refreshIfLoaded(String id) {
        ApiKeyEntity reference = entityManager.getReference(ApiKeyEntity.class, id);
        if (Hibernate.isInitialized(reference)) {
            entityManager.refresh(reference);
        }
    }

    /** The blocks in canonical CIDR form without repeats, as {@code ApiKey.setAllowedIps} keeps them. */
    private static List<String> canonicalRanges(List<String> ips) {
        Set<String> canonical = new LinkedHashSet<>();
        for (String ip : ips) {
            canonical.add(IpRange.parse(ip).toString());
        }
        return List.copyOf(canonical);
    }

    /** The origins serialized without repeats, as {@code ApiKey.setAllowedOrigins} keeps them. */
    private static List<String> normalizedOrigins(List<String> origins) {
        Set<String> normalized = new LinkedHashSet<>();
        for (String origin : origins) {
            String serialized = Origins.normalize(origin);
            if (serialized == null) {
                throw new IllegalArgumentException("not an http or https origin: '" + origin + "'");
            }
            normalized.add(serialized);
        }
        return List.copyOf(normalized);
    }

    private static void setText(CriteriaBuilder cb, CriteriaUpdate<ApiKeyEntity> update, Root<ApiKeyEntity> key,
                                String attribute, String value) {
        update.set(key.<String>get(attribute), value == null ? cb.nullLiteral(String.class) : cb.literal(value));
    }
}
