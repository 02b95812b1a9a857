package io.github.apikey.spring.web;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.web.app.ManagementApplication;

import com.jayway.jsonpath.JsonPath;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The audit trail through the management API: every route that changes a key records one event with the admin key
 * as actor and the client address, failures with their outcome; the event routes filter and page; the verify route
 * finds a deleted or edited row; Spring Boot's AuditEventRepository gets each event.
 */
@SpringBootTest(classes = {ManagementApplication.class, ManagementAuditTests.AuditRepository.class},
        properties = {"api-key.pepper=management-pepper-0123456789abcd", "api-key.hasher.type=hmac-sha256",
                "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class ManagementAuditTests {

    private static final String ADDRESS = "203.0.113.50";

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MutableClock clock;

    @Autowired
    InMemoryAuditEventRepository auditEvents;

    private String admin;
    private String adminKeyId;

    @BeforeEach
    void emptyTables() {
        clock.set(Instant.parse("2026-06-01T00:00:00Z"));
        jdbc.update("DELETE FROM api_keys");
        jdbc.update("DELETE FROM api_key_events");
        jdbc.update("UPDATE api_key_events_head SET last_seq = 0, last_hash = ?", "0".repeat(64));
        CreatedApiKey created = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin")));
        admin = created.plaintext();
        adminKeyId = created.apiKey().getKeyId();
    }

    private MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder request) {
        return request.header("Authorization", "Bearer " + admin).with(servlet -> {
            servlet.setRemoteAddr(ADDRESS);
            return servlet;
        });
    }

    private String json(MockHttpServletRequestBuilder request, int status) throws Exception {
        return mvc.perform(as(request).contentType(MediaType.APPLICATION_JSON)).andExpect(status().is(status))
                .andReturn().getResponse().getContentAsString();
    }

    @Test
    void everyRouteThatChangesAKeyRecordsOneEventWithTheAdminKeyAndTheClientAddress() throws Exception {
        String id = JsonPath.read(json(post("/api-keys").content("{\"name\":\"billing\",\"scopes\":[\"read\"]}"),
                201), "$.entity.id");
        clock.set(Instant.parse("2026-06-01T00:00:01Z"));
        json(patch("/api-keys/" + id).content("{\"name\":\"billing v2\",\"ownerId\":\"tenant-7\"}"), 200);
        json(post("/api-keys/" + id + "/deactivate"), 200);
        json(post("/api-keys/" + id + "/activate"), 200);
        json(post("/api-keys/" + id + "/rotate").content("{\"gracePeriod\":\"PT1H\"}"), 200);
        clock.set(Instant.parse("2026-06-01T00:00:02Z"));
        json(delete("/api-keys/" + id), 204);
        json(post("/api-keys/" + id + "/deactivate"), 404);
        json(post("/api-keys").content("{\"name\":\"\"}"), 400);
        json(post("/api-keys").content("{\"name\":\"x\",\"unknown\":1}"), 400);

        mvc.perform(as(get("/api-keys/events").param("actor", adminKeyId))).andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(8))
                .andExpect(jsonPath("$.items[*].action").value(contains("create", "deactivate", "delete", "rotate",
                        "activate", "deactivate", "update", "create")))
                .andExpect(jsonPath("$.items[*].outcome").value(contains("invalid", "not_found", "success",
                        "success", "success", "success", "success", "success")))
                .andExpect(jsonPath("$.items[0].details.field").value("name"))
                .andExpect(jsonPath("$.items[0].apiKeyId").value(nullValue()))
                .andExpect(jsonPath("$.items[6].details.changed.name").value("billing v2"))
                .andExpect(jsonPath("$.items[6].details.changed.ownerId").value("tenant-7"))
                .andExpect(jsonPath("$.items[3].details.gracePeriod").value("PT1H"))
                .andExpect(jsonPath("$.items[*].actorType").value(contains("api-key", "api-key", "api-key",
                        "api-key", "api-key", "api-key", "api-key", "api-key")))
                .andExpect(jsonPath("$.items[2].clientAddress").value(ADDRESS))
                .andExpect(jsonPath("$.items[2].keyId").isString())
                .andExpect(jsonPath("$.items[7].sequence").value(2))
                .andExpect(jsonPath("$.items[7].occurredAt").value("2026-06-01T00:00:00Z"))
                .andExpect(jsonPath("$.items[7].details.name").value("billing"));

        mvc.perform(as(get("/api-keys/" + id + "/events"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(7));
        mvc.perform(as(get("/api-keys/" + id + "/events").param("action", "update")))
                .andExpect(jsonPath("$.items", hasSize(1))).andExpect(jsonPath("$.items[0].action").value("update"));
        mvc.perform(as(get("/api-keys/events").param("from", "2026-06-01T00:00:01Z")
                        .param("to", "2026-06-01T00:00:02Z")))
                .andExpect(jsonPath("$.items[*].action").value(contains("rotate", "activate", "deactivate",
                        "update")));
        mvc.perform(as(get("/api-keys/events").param("offset", "1").param("limit", "2")))
                .andExpect(jsonPath("$.total").value(9)).andExpect(jsonPath("$.limit").value(2))
                .andExpect(jsonPath("$.items[*].sequence").value(contains(8, 7)));
        mvc.perform(as(get("/api-keys/events/verify"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(true)).andExpect(jsonPath("$.checked").value(9))
                .andExpect(jsonPath("$.brokenAt").value(nullValue()));

        List<AuditEvent> mapped = auditEvents.find(adminKeyId, null, null);
        assertThat(mapped).extracting(AuditEvent::getType).contains("API_KEY_CREATE", "API_KEY_UPDATE",
                "API_KEY_ROTATE", "API_KEY_DELETE");
        AuditEvent delete = mapped.stream().filter(e -> e.getType().equals("API_KEY_DELETE")).findFirst()
                .orElseThrow();
        assertThat(delete.getData()).containsEntry("outcome", "success").containsEntry("apiKeyId", id)
                .containsEntry("clientAddress", ADDRESS).containsEntry("actorType", "api-key");
    }

    @Test
    void theVerifyRouteReportsTheFirstBrokenLinkOfADeletedOrEditedRow() throws Exception {
        for (int i = 0; i < 3; i++) {
            json(post("/api-keys").content("{\"name\":\"k" + i + "\"}"), 201);
        }
        jdbc.update("UPDATE api_key_events SET details = '{\"name\":\"forged\"}' WHERE seq = 3");
        mvc.perform(as(get("/api-keys/events/verify"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.valid").value(false)).andExpect(jsonPath("$.brokenAt").value(3))
                .andExpect(jsonPath("$.problem").value(org.hamcrest.Matchers.containsString("edited")));
        jdbc.update("DELETE FROM api_key_events WHERE seq = 2");
        mvc.perform(as(get("/api-keys/events/verify")))
                .andExpect(jsonPath("$.valid").value(false)).andExpect(jsonPath("$.brokenAt").value(2));
    }

    /**
     * Details are written as stored, so that a client can recompute the hash; a row edited behind the library into
     * something that is not a JSON object comes out as a JSON string and cannot change the response's structure.
     */
    @Test
    void detailsEditedIntoSomethingOtherThanAJsonObjectComeOutAsAString() throws Exception {
        json(post("/api-keys").content("{\"name\":\"k0\"}"), 201);
        json(post("/api-keys").content("{\"name\":\"k1\"}"), 201);
        String injected = "{}, \"sequence\": 99, \"forged\": {\"a\": 1}";
        Long newest = jdbc.queryForObject("SELECT max(seq) FROM api_key_events", Long.class);
        jdbc.update("UPDATE api_key_events SET details = ? WHERE seq = ?", injected, newest);

        mvc.perform(as(get("/api-keys/events"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.items[0].sequence").value(newest))
                .andExpect(jsonPath("$.items[0].details").value(injected))
                .andExpect(jsonPath("$.items[0].forged").doesNotExist())
                .andExpect(jsonPath("$.items[1].details.name").value("k0"));
    }

    @Test
    void theEventRoutesAreForAdminsAndCheckTheirParameters() throws Exception {
        String user = service.create(NewApiKey.named("user")).plaintext();
        for (String path : List.of("/api-keys/events", "/api-keys/events/verify",
                "/api-keys/00000000-0000-4000-8000-000000000000/events")) {
            mvc.perform(get(path)).andExpect(status().isUnauthorized());
            mvc.perform(get(path).header("Authorization", "Bearer " + user)).andExpect(status().isForbidden());
        }
        mvc.perform(as(get("/api-keys/events").param("action", "explode"))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("action"));
        mvc.perform(as(get("/api-keys/events").param("from", "yesterday"))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("from"));
        mvc.perform(as(get("/api-keys/events").param("limit", "101"))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value("limit"));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class AuditRepository {

        @Bean
        InMemoryAuditEventRepository auditEventRepository() {
            return new InMemoryAuditEventRepository();
        }
    }

}
