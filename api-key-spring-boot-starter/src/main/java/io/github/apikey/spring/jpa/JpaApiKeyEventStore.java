package io.github.apikey.spring.jpa;

import io.github.apikey.core.audit.ApiKeyActor;
import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventAction;
import io.github.apikey.core.audit.ApiKeyEventChain;
import io.github.apikey.core.audit.ApiKeyEventDraft;
import io.github.apikey.core.audit.ApiKeyEventOutcome;
import io.github.apikey.core.audit.ChainHead;
import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.store.ApiKeyEventFilter;
import io.github.apikey.core.store.ApiKeyEventStore;
import io.github.apikey.spring.jpa.audit.ApiKeyEventEntity;
import io.github.apikey.spring.jpa.audit.ApiKeyEventHeadEntity;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.criteria.Predicate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.data.domain.Limit;
import org.springframework.data.domain.ScrollPosition;
import org.springframework.data.domain.Sort;
import org.springframework.data.jpa.domain.Specification;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@link ApiKeyEventStore} on Spring Data JPA, in the key store's transactions (the same transaction manager, so it
 * joins the caller's too). The chain head is one row that every append locks first with {@code SELECT ... FOR UPDATE}
 * ({@link LockModeType#PESSIMISTIC_WRITE}): appends of every instance wait for each other, each reads the head the one
 * before it wrote, and the chain stays linear. The lock is held until the transaction ends, so a change and its event
 * commit together, and long transactions that change keys delay the changes of every instance.
 */
public class JpaApiKeyEventStore implements ApiKeyEventStore {

    private final ApiKeyEventRepository repository;
    private final EntityManager entityManager;
    private final TransactionTemplate writes;
    private final TransactionTemplate reads;
    private final TransactionTemplate ownTransaction;

    public JpaApiKeyEventStore(ApiKeyEventRepository repository, EntityManager entityManager,
                               PlatformTransactionManager transactionManager) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.entityManager = Objects.requireNonNull(entityManager, "entityManager");
        this.writes = new TransactionTemplate(transactionManager);
        this.reads = new TransactionTemplate(transactionManager);
        this.reads.setReadOnly(true);
        this.reads.setPropagationBehavior(TransactionDefinition.PROPAGATION_SUPPORTS);
        this.ownTransaction = new TransactionTemplate(transactionManager);
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @Override
    public <T> T withChainLock(Supplier<T> work) {
        return execute(writes, () -> {
            lockedHead();
            return work.get();
        });
    }

    @Override
    public ApiKeyEvent append(ApiKeyEventDraft draft) {
        Objects.requireNonNull(draft, "draft");
        return execute(writes, () -> {
            ApiKeyEventHeadEntity head = lockedHead();
            ApiKeyEvent event = ApiKeyEventChain.seal(draft, head.getLastSequence() + 1, head.getLastHash());
            entityManager.persist(toEntity(event));
            head.advance(event.sequence(), event.hash());
            entityManager.flush();
            return event;
        });
    }

    @Override
    public Optional<ApiKeyEvent> purge(Instant cutoff, ApiKeyEventDraft purge) {
        return execute(writes, () -> {
            lockedHead();
            Long through = repository.lastSequenceBefore(cutoff);
            if (through == null) {
                return Optional.empty();
            }
            String throughHash = repository.findById(through).orElseThrow().getHash();
            int deleted = repository.deleteThrough(through);
            return Optional.of(append(purge.withDetails(ApiKeyEventChain.purgeDetails(through, throughHash, deleted,
                    cutoff))));
        });
    }

    /**
     * The head row, locked. A table created without the schema script's row (by Hibernate, or a migration that left
     * it out) gets it first, in a transaction of its own: another instance inserting it at the same moment is no error.
     */
    private ApiKeyEventHeadEntity lockedHead() {
        ApiKeyEventHeadEntity head = entityManager.find(ApiKeyEventHeadEntity.class, ApiKeyEventHeadEntity.MAIN,
                LockModeType.PESSIMISTIC_WRITE);
        if (head != null) {
            return head;
        }
        try {
            ownTransaction.executeWithoutResult(status -> {
                entityManager.persist(new ApiKeyEventHeadEntity(ApiKeyEventHeadEntity.MAIN, 0,
                        ApiKeyEventChain.GENESIS_HASH));
                entityManager.flush();
            });
        } catch (DataIntegrityViolationException | jakarta.persistence.PersistenceException insertedMeanwhile) {
            // Another instance created it; lock theirs.
        }
        return Objects.requireNonNull(entityManager.find(ApiKeyEventHeadEntity.class, ApiKeyEventHeadEntity.MAIN,
                LockModeType.PESSIMISTIC_WRITE), "the audit chain's head row");
    }

    @Override
    public List<ApiKeyEvent> find(ApiKeyEventFilter filter) {
        ScrollPosition start = filter.offset() == 0 ? ScrollPosition.offset()
                : ScrollPosition.offset(filter.offset() - 1L);
        return read(() -> repository.findBy(matching(filter), query -> query
                        .sortBy(Sort.by(Sort.Direction.DESC, "sequence")).limit(filter.limit()).scroll(start))
                .stream().map(JpaApiKeyEventStore::toDomain).toList());
    }

    @Override
    public long count(ApiKeyEventFilter filter) {
        return read(() -> repository.count(matching(filter)));
    }

    @Override
    public List<ApiKeyEvent> chain(long afterSequence, int limit) {
        return read(() -> repository.findBySequenceGreaterThanOrderBySequenceAsc(afterSequence, Limit.of(limit))
                .stream().map(JpaApiKeyEventStore::toDomain).toList());
    }

    /**
     * Read as values, never as an entity: a head entity left in the caller's persistence context would be what a
     * later append in the same transaction gets back from its locking {@code find}, with the state of this read,
     * and would link the next event to a head another instance has moved on from since.
     */
    @Override
    public ChainHead head() {
        return read(() -> entityManager.createQuery("select new " + ChainHead.class.getName()
                        + "(h.lastSequence, h.lastHash) from ApiKeyEventHeadEntity h where h.chain = :chain",
                        ChainHead.class)
                .setParameter("chain", ApiKeyEventHeadEntity.MAIN)
                .getResultList().stream().findFirst().orElse(ChainHead.GENESIS));
    }

    private static Specification<ApiKeyEventEntity> matching(ApiKeyEventFilter filter) {
        return (root, query, cb) -> {
            List<Predicate> criteria = new ArrayList<>();
            if (filter.apiKeyId() != null) {
                criteria.add(cb.equal(root.get("apiKeyId"), filter.apiKeyId().toString()));
            }
            if (filter.action() != null) {
                criteria.add(cb.equal(root.get("action"), filter.action().wireName()));
            }
            if (filter.actor() != null) {
                criteria.add(cb.equal(root.get("actor"), filter.actor()));
            }
            if (filter.from() != null) {
                criteria.add(cb.greaterThanOrEqualTo(root.get("occurredAt"), filter.from()));
            }
            if (filter.to() != null) {
                criteria.add(cb.lessThan(root.get("occurredAt"), filter.to()));
            }
            return cb.and(criteria.toArray(Predicate[]::new));
        };
    }

    private <T> T read(Supplier<T> work) {
        return execute(reads, work);
    }

    private static <T> T execute(TransactionTemplate template, Supplier<T> work) {
        try {
            return template.execute(status -> work.get());
        } catch (ApiKeyException e) {
            throw e;
        } catch (RuntimeException e) {
            if (e.getClass().getName().startsWith("io.github.apikey")) {
                throw e;
            }
            throw new ApiKeyStoreException("The API key event store could not complete the operation: "
                    + e.getClass().getSimpleName(), e);
        }
    }

    static ApiKeyEventEntity toEntity(ApiKeyEvent event) {
        return new ApiKeyEventEntity(event.sequence(), event.occurredAt(), event.action().wireName(),
                event.outcome().wireName(), event.apiKeyId() == null ? null : event.apiKeyId().toString(),
                event.keyId(), event.actor().type().wireName(), event.actor().name(), event.actor().clientAddress(),
                event.details(), event.previousHash(), event.hash());
    }

    /**
     * The event as stored. A row whose action, outcome or actor type is no known name (edited by hand) still reads,
     * under the name {@code UPDATE}/{@code INVALID}/{@code SYSTEM} with a hash that cannot match: verification then
     * reports it as edited rather than failing.
     */
    static ApiKeyEvent toDomain(ApiKeyEventEntity entity) {
        ApiKeyEventAction action = ApiKeyEventAction.fromWireName(entity.getAction()).orElse(null);
        ApiKeyEventOutcome outcome = outcome(entity.getOutcome());
        ApiKeyActor.Type actorType = actorType(entity.getActorType());
        String hash = action == null || outcome == null || actorType == null ? "edited" : entity.getHash();
        return new ApiKeyEvent(entity.getSequence(), entity.getOccurredAt(),
                action == null ? ApiKeyEventAction.UPDATE : action, outcome == null ? ApiKeyEventOutcome.INVALID
                : outcome, entity.getApiKeyId() == null ? null : UUID.fromString(entity.getApiKeyId()),
                entity.getKeyId(), new ApiKeyActor(actorType == null ? ApiKeyActor.Type.SYSTEM : actorType,
                entity.getActor(), entity.getClientAddress()), entity.getDetails(), entity.getPreviousHash(), hash);
    }

    private static ApiKeyEventOutcome outcome(String name) {
        try {
            return ApiKeyEventOutcome.valueOf(name.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    private static ApiKeyActor.Type actorType(String name) {
        try {
            return ApiKeyActor.Type.fromWireName(name);
        } catch (IllegalArgumentException unknown) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "JpaApiKeyEventStore";
    }
}
