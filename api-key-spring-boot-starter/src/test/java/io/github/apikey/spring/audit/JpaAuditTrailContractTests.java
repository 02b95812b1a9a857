package io.github.apikey.spring.audit;

import io.github.apikey.core.audit.ApiKeyActor;
import io.github.apikey.core.audit.ApiKeyEvent;
import io.github.apikey.core.audit.ApiKeyEventAction;
import io.github.apikey.core.audit.ApiKeyEventChain;
import io.github.apikey.core.audit.ApiKeyEventOutcome;
import io.github.apikey.core.audit.ChainVerification;
import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.domain.ApiKeyChanges;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyEventFilter;
import io.github.apikey.core.store.ApiKeyEventStore;
import io.github.apikey.core.store.ApiKeyEventStoreContract;
import io.github.apikey.spring.jpa.JpaApiKeyEventStore;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The audit trail on a real database, in two Spring Boot applications sharing it as two instances would: the event
 * store contract (the concurrent appends of both instances form one chain), one event per operation through the
 * service, changes and events committing and rolling back together, application events after commit only, and a
 * deleted or edited row found by verification.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class JpaAuditTrailContractTests extends ApiKeyEventStoreContract {

    private static final String ZEROS = "0".repeat(64);

    private TestDatabase database;
    private ConfigurableApplicationContext first;
    private ConfigurableApplicationContext second;

    protected abstract TestDatabase.Kind kind();

    @BeforeAll
    void startTwoInstances() {
        database = TestDatabase.create(kind());
        first = start();
        second = start();
    }

    private ConfigurableApplicationContext start() {
        List<String> properties = new ArrayList<>(database.springProperties());
        properties.addAll(List.of("api-key.jdbc.initialize-schema=always", "api-key.hasher.type=hmac-sha256",
                "api-key.pepper=audit-contract-test-pepper-0123456789", "spring.jpa.hibernate.ddl-auto=validate",
                "spring.main.banner-mode=off", "api-key.audit.purge-cron=-"));
        return new SpringApplicationBuilder(AuditApplication.class).web(WebApplicationType.NONE)
                .properties(properties.toArray(String[]::new)).run();
    }

    @AfterAll
    void stop() throws Exception {
        for (ConfigurableApplicationContext context : new ConfigurableApplicationContext[] {first, second}) {
            if (context != null) {
                context.close();
            }
        }
        if (database != null) {
            database.close();
        }
    }

    @AfterEach
    void clearSecurityContext() {
        SecurityContextHolder.clearContext();
    }

    private JdbcTemplate jdbc() {
        return first.getBean(JdbcTemplate.class);
    }

    @Override
    protected ApiKeyEventStore createEmptyStore() {
        jdbc().update("DELETE FROM api_key_events");
        jdbc().update("UPDATE api_key_events_head SET last_seq = 0, last_hash = ?", ZEROS);
        jdbc().update("DELETE FROM api_keys");
        first.getBean(Published.class).events.clear();
        return first.getBean(ApiKeyEventStore.class);
    }

    @Override
    protected ApiKeyEventStore secondInstance() {
        return second.getBean(ApiKeyEventStore.class);
    }

    private ApiKeyService service() {
        return first.getBean(ApiKeyService.class);
    }

    @Test
    void theAutoConfiguredEventStoreIsTheJpaStoreOnTheSchemaScriptsTables() {
        assertThat(eventStore()).isInstanceOf(JpaApiKeyEventStore.class);
        assertThat(jdbc().queryForObject("SELECT chain FROM api_key_events_head", String.class)).isEqualTo("main");
    }

    @Test
    void everyOperationThroughTheServiceRecordsExactlyOneEventWithItsFields() {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                "alice", "n/a", AuthorityUtils.NO_AUTHORITIES));
        ApiKeyService service = service();
        CreatedApiKey created = service.create(NewApiKey.named("billing").withScopes(List.of("read")));
        ApiKey key = created.apiKey();
        service.update(key.getId(), ApiKeyChanges.builder().description("for invoices").scopes(List.of("read",
                "write")).build());
        service.deactivate(key.getId());
        service.activate(key.getId());
        CreatedApiKey rotated = service.rotate(key.getId(), Duration.ofMinutes(5));
        String imported = service.getFormat().format(service.getFormat().newKeyId(),
                service.getFormat().newSecret());
        ApiKey importedKey = service.importKey("imported", imported, List.of()).orElseThrow();
        service.delete(key.getId());
        UUID unknown = UUID.randomUUID();
        assertThatThrownBy(() -> service.deactivate(unknown)).isInstanceOf(ApiKeyNotFoundException.class);

        List<ApiKeyEvent> events = eventStore().chain(0, 100);
        assertThat(events).extracting(ApiKeyEvent::action).containsExactly(ApiKeyEventAction.CREATE,
                ApiKeyEventAction.UPDATE, ApiKeyEventAction.DEACTIVATE, ApiKeyEventAction.ACTIVATE,
                ApiKeyEventAction.ROTATE, ApiKeyEventAction.IMPORT, ApiKeyEventAction.DELETE,
                ApiKeyEventAction.DEACTIVATE);
        assertThat(events).extracting(ApiKeyEvent::outcome).containsExactly(ApiKeyEventOutcome.SUCCESS,
                ApiKeyEventOutcome.SUCCESS, ApiKeyEventOutcome.SUCCESS, ApiKeyEventOutcome.SUCCESS,
                ApiKeyEventOutcome.SUCCESS, ApiKeyEventOutcome.SUCCESS, ApiKeyEventOutcome.SUCCESS,
                ApiKeyEventOutcome.NOT_FOUND);
        assertThat(events).extracting(ApiKeyEvent::apiKeyId).containsExactly(key.getId(), key.getId(), key.getId(),
                key.getId(), key.getId(), importedKey.getId(), key.getId(), unknown);
        assertThat(events).extracting(ApiKeyEvent::keyId).containsExactly(key.getKeyId(), key.getKeyId(),
                key.getKeyId(), key.getKeyId(), key.getKeyId(), importedKey.getKeyId(), key.getKeyId(), null);
        assertThat(events).extracting(ApiKeyEvent::actor).containsOnly(ApiKeyActor.user("alice", null));
        assertThat(events.get(1).details()).isEqualTo("{\"changed\":{\"description\":\"for invoices\",\"scopes\":"
                + "[\"read\",\"write\"]}}");
        assertThat(service.findEvents(new ApiKeyEventFilter(key.getId(), null, null, null, null, 0, 100)))
                .hasSize(6);
        assertThat(service.verifyEvents().valid()).isTrue();

        String everything = jdbc().queryForList("SELECT * FROM api_key_events").toString();
        for (String plaintext : List.of(created.plaintext(), rotated.plaintext(), imported)) {
            assertThat(everything).doesNotContain(plaintext.substring(plaintext.lastIndexOf('-') + 5,
                    plaintext.length() - 4));
        }
        assertThat(everything).doesNotContain(rotated.apiKey().getKeyHash())
                .doesNotContain(rotated.apiKey().getPreviousKeyHash()).doesNotContain(importedKey.getKeyHash())
                .doesNotContain("audit-contract-test-pepper");
    }

    @Test
    void aDeletedEventRowIsDetected() {
        for (int i = 0; i < 4; i++) {
            service().create(NewApiKey.named("k" + i));
        }
        jdbc().update("DELETE FROM api_key_events WHERE seq = 2");

        ChainVerification result = service().verifyEvents();

        assertThat(result.valid()).isFalse();
        assertThat(result.brokenAt()).isEqualTo(2);
        assertThat(second.getBean(ApiKeyService.class).verifyEvents()).isEqualTo(result);
    }

    @Test
    void anEditedEventRowIsDetected() {
        for (int i = 0; i < 4; i++) {
            service().create(NewApiKey.named("k" + i));
        }
        jdbc().update("UPDATE api_key_events SET actor = 'someone else' WHERE seq = 3");

        assertThat(service().verifyEvents().brokenAt()).isEqualTo(3);
    }

    @Test
    void theNewestEventsDeletedAreDetectedThroughTheHead() {
        for (int i = 0; i < 4; i++) {
            service().create(NewApiKey.named("k" + i));
        }
        jdbc().update("DELETE FROM api_key_events WHERE seq >= 3");

        assertThat(service().verifyEvents().brokenAt()).isEqualTo(3);
    }

    @Test
    void aChangeAndItsEventCommitAndRollBackTogetherAndAreAnnouncedAfterCommitOnly() {
        ApiKey key = service().create(NewApiKey.named("tx")).apiKey();
        List<ApiKeyEvent> published = first.getBean(Published.class).events;
        published.clear();
        TransactionTemplate transaction = new TransactionTemplate(first.getBean(PlatformTransactionManager.class));

        transaction.executeWithoutResult(status -> {
            service().deactivate(key.getId());
            status.setRollbackOnly();
        });
        assertThat(service().get(key.getId()).isActive()).isTrue();
        assertThat(eventStore().head().sequence()).isEqualTo(1);
        assertThat(published).isEmpty();

        transaction.executeWithoutResult(status -> {
            service().deactivate(key.getId());
            assertThat(published).as("published before the commit").isEmpty();
        });
        assertThat(service().get(key.getId()).isActive()).isFalse();
        assertThat(eventStore().chain(0, 10)).extracting(ApiKeyEvent::action)
                .containsExactly(ApiKeyEventAction.CREATE, ApiKeyEventAction.DEACTIVATE);
        assertThat(published).extracting(ApiKeyEvent::action).containsExactly(ApiKeyEventAction.DEACTIVATE);
        assertThat(service().verifyEvents().valid()).isTrue();
    }

    /**
     * A caller's transaction that read the chain (its head in particular) before changing a key, while another
     * instance appended meanwhile: the change links to the other instance's event, not to the head read earlier.
     */
    @Test
    void aChangeInACallersTransactionLinksToTheHeadAsItIsUnderTheLockNotAsItWasReadBefore() {
        ApiKey mine = service().create(NewApiKey.named("mine")).apiKey();
        ApiKey theirs = service().create(NewApiKey.named("theirs")).apiKey();
        TransactionTemplate transaction = new TransactionTemplate(first.getBean(PlatformTransactionManager.class));

        transaction.executeWithoutResult(status -> {
            assertThat(service().verifyEvents().valid()).isTrue();
            long before = eventStore().head().sequence();
            second.getBean(ApiKeyService.class).deactivate(theirs.getId());
            service().deactivate(mine.getId());
            assertThat(eventStore().head().sequence()).isEqualTo(before + 2);
        });

        assertThat(eventStore().chain(0, 10)).extracting(ApiKeyEvent::action).containsExactly(
                ApiKeyEventAction.CREATE, ApiKeyEventAction.CREATE, ApiKeyEventAction.DEACTIVATE,
                ApiKeyEventAction.DEACTIVATE);
        assertThat(service().verifyEvents().valid()).isTrue();
    }

    /** Two instances changing keys at once, each change with its event: one chain holding every event once. */
    @Test
    void operationsOnTwoInstancesAtOnceFormOneVerifiableChain() throws Exception {
        List<ApiKeyService> services = List.of(service(), second.getBean(ApiKeyService.class));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                ApiKeyService service = services.get(t % 2);
                work.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        ApiKey key = service.create(NewApiKey.named("c" + i)).apiKey();
                        service.update(key.getId(), ApiKeyChanges.builder().name("renamed").build());
                        service.deactivate(key.getId());
                    }
                    return null;
                }));
            }
            for (Future<?> future : work) {
                future.get(3, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(eventStore().head().sequence()).isEqualTo(60);
        assertThat(eventStore().count(ApiKeyEventFilter.all(0, 1))).isEqualTo(60);
        assertThat(service().verifyEvents()).isEqualTo(new ChainVerification(true, 60, 1L, 60L, null, null));
    }

    @Test
    void aPurgeThroughTheServiceKeepsTheChainVerifiable() {
        for (int i = 0; i < 3; i++) {
            service().create(NewApiKey.named("old" + i));
        }
        ApiKeyEvent purge = service().purgeEvents(Duration.ZERO).orElseThrow();
        assertThat(purge.details()).contains("\"deleted\":3").contains(ApiKeyEventChain.PURGED_THROUGH_HASH);
        assertThat(jdbc().queryForObject("SELECT COUNT(*) FROM api_key_events", Long.class)).isEqualTo(1);
        assertThat(service().verifyEvents().valid()).isTrue();
        assertThat(second.getBean(ApiKeyService.class).purgeEvents(Duration.ofDays(1))).isEmpty();
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class AuditApplication {

        @Bean
        Published published() {
            return new Published();
        }
    }

    static class Published {

        final List<ApiKeyEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(ApiKeyAuditApplicationEvent event) {
            events.add(event.getEvent());
        }
    }

}
