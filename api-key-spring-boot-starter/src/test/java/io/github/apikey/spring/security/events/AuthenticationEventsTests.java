package io.github.apikey.spring.security.events;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.security.ApiKeyAuthenticationToken;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.event.AbstractAuthenticationEvent;
import org.springframework.security.authentication.event.AbstractAuthenticationFailureEvent;
import org.springframework.security.authentication.event.AuthenticationFailureBadCredentialsEvent;
import org.springframework.security.authentication.event.AuthenticationFailureDisabledEvent;
import org.springframework.security.authentication.event.AuthenticationFailureExpiredEvent;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Key authentication publishes Spring Security's authentication events, which listeners and Spring Boot's audit
 * events see like those of any other mechanism.
 */
@SpringBootTest(classes = {SecuredApplication.class, AuthenticationEventsTests.Listeners.class},
        properties = {"api-key.pepper=events-test-pepper-0123456789abc", "api-key.hasher.type=hmac-sha256",
                "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class AuthenticationEventsTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    MutableClock clock;

    @Autowired
    Listeners listeners;

    @Autowired
    InMemoryAuditEventRepository auditEvents;

    @BeforeEach
    void forgetEarlierEvents() {
        listeners.events.clear();
    }

    @Test
    void aVerifiedKeyPublishesASuccessThatNamesTheKeyId() throws Exception {
        String key = service.create(NewApiKey.named("robot")).plaintext();
        String keyId = new ApiKeyFormat().parse(key).keyId();

        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)).andExpect(status().isOk());

        assertThat(listeners.events).singleElement().isInstanceOfSatisfying(AuthenticationSuccessEvent.class,
                success -> {
                    assertThat(success.getAuthentication()).isInstanceOf(ApiKeyAuthenticationToken.class);
                    assertThat(success.getAuthentication().getName()).isEqualTo(keyId);
                });
        assertThat(auditEvents.find(keyId, null, "AUTHENTICATION_SUCCESS")).hasSize(1);
    }

    @Test
    void refusedKeysPublishTheFailureEventsOfTheirReason() throws Exception {
        ApiKeyFormat format = new ApiKeyFormat();
        String unknown = format.format(format.newKeyId(), format.newSecret());
        var disabled = service.create(NewApiKey.named("disabled"));
        service.deactivate(disabled.apiKey().getId());
        String expiring = service.create(NewApiKey.named("expiring")
                .withExpiresAt(clock.instant().plusSeconds(60))).plaintext();
        clock.advance(Duration.ofMinutes(2));

        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + unknown))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + disabled.plaintext()))
                .andExpect(status().isForbidden());
        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + expiring))
                .andExpect(status().isForbidden());

        assertThat(listeners.events).hasSize(3);
        assertThat(listeners.events.get(0)).isInstanceOf(AuthenticationFailureBadCredentialsEvent.class);
        assertThat(listeners.events.get(1)).isInstanceOf(AuthenticationFailureDisabledEvent.class);
        assertThat(listeners.events.get(2)).isInstanceOf(AuthenticationFailureExpiredEvent.class);
        for (AbstractAuthenticationEvent event : listeners.events) {
            AbstractAuthenticationFailureEvent failure = (AbstractAuthenticationFailureEvent) event;
            assertThat(failure.getAuthentication().getCredentials()).as("the presented key").isNull();
            for (String presented : List.of(unknown, disabled.plaintext(), expiring)) {
                assertThat(failure.toString()).doesNotContain(presented);
                assertThat(failure.getException().getMessage()).doesNotContain(presented);
            }
        }
        assertThat(auditEvents.find(null, null, "AUTHENTICATION_FAILURE")).hasSizeGreaterThanOrEqualTo(3)
                .extracting(AuditEvent::getData).allSatisfy(data -> assertThat(data.toString())
                        .doesNotContain(unknown).doesNotContain(disabled.plaintext()).doesNotContain(expiring));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class Listeners {

        final List<AbstractAuthenticationEvent> events = new CopyOnWriteArrayList<>();

        @EventListener
        void on(AbstractAuthenticationEvent event) {
            events.add(event);
        }

        /** Turns on Spring Boot's audit events, which it records from the same authentication events. */
        @Bean
        InMemoryAuditEventRepository auditEventRepository() {
            return new InMemoryAuditEventRepository();
        }
    }
}
