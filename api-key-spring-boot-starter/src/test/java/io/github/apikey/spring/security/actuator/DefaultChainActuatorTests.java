package io.github.apikey.spring.security.actuator;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.security.app.SecuredApplication;

import java.time.Duration;
import java.time.Clock;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The default chain with Actuator: health stays open to probes, every other endpoint needs the admin scope. */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=actuator-test-pepper-0123456789a",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
        "management.endpoints.web.exposure.include=health,env,info,metrics,apikeys",
        "management.endpoint.health.probes.enabled=true",
        "management.endpoint.health.group.liveness.additional-path=server:/livez"})
@AutoConfigureMockMvc
class DefaultChainActuatorTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    /** The application's clock, which the endpoint counts with. */
    @Autowired
    Clock clock;

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness", "/livez"})
    void healthAndItsGroupsAnswerProbesWithoutAKey(String path) throws Exception {
        mvc.perform(get(path)).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/env", "/actuator/info", "/actuator/apikeys",
            "/actuator/metrics"})
    void everyOtherEndpointNeedsTheAdminScope(String path) throws Exception {
        String plain = service.create(NewApiKey.named("plain")).plaintext();
        String admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();

        mvc.perform(get(path)).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("API key missing"));
        mvc.perform(get(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + plain))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key missing required scopes 'api-keys:admin'"));
        mvc.perform(get(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)).andExpect(status().isOk());
    }

    @Test
    void theApplicationsOwnEndpointsStillNeedJustAValidKey() throws Exception {
        String plain = service.create(NewApiKey.named("plain")).plaintext();

        mvc.perform(get("/hello")).andExpect(status().isUnauthorized());
        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + plain)).andExpect(status().isOk());
    }

    @Test
    void theApiKeysEndpointCountsKeysByStateAndShowsNoSecret() throws Exception {
        String admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
        JsonNode before = apiKeys(admin);
        CreatedApiKey inactive = service.create(NewApiKey.named("off").withActive(false));
        CreatedApiKey expiring = service.create(NewApiKey.named("soon")
                .withExpiresAt(clock.instant().plus(Duration.ofDays(2))));

        JsonNode after = apiKeys(admin);

        JsonNode keys = after.get("keys");
        assertThat(keys.get("total").asLong() - before.get("keys").get("total").asLong()).isEqualTo(2);
        assertThat(keys.get("inactive").asLong() - before.get("keys").get("inactive").asLong()).isEqualTo(1);
        assertThat(keys.get("expiringWithin7Days").asLong()
                - before.get("keys").get("expiringWithin7Days").asLong()).isEqualTo(1);
        assertThat(keys.get("active").asLong() + keys.get("inactive").asLong() + keys.get("expired").asLong())
                .isEqualTo(keys.get("total").asLong());
        assertThat(after.get("cache").get("invalidation").asText()).isEqualTo("local");
        assertThat(after.get("hasher").get("type").asText()).isEqualTo("HmacSha256ApiKeyHasher");
        assertThat(after.get("hasher").get("maxConcurrent").asInt()).isPositive();
        assertThat(after.get("rateLimit").get("store").asText()).isEqualTo("memory");
        assertThat(after.has("lastUsed")).isTrue();
        String text = after.toString();
        for (String secret : List.of(admin, inactive.plaintext(), expiring.plaintext(),
                inactive.apiKey().getKeyHash(), "actuator-test-pepper-0123456789a")) {
            assertThat(text).doesNotContain(secret);
        }
    }

    @Test
    void theVerificationTimerIsServedByTheMetricsEndpoint() throws Exception {
        String admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)).andExpect(status().isOk());

        mvc.perform(get("/actuator/metrics/apikey.verifications").param("tag", "outcome:valid")
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.availableTags[?(@.tag == 'path')].values[*]",
                        org.hamcrest.Matchers.hasItems("cache", "hash")))
                .andExpect(jsonPath("$.measurements[?(@.statistic == 'COUNT')].value",
                        org.hamcrest.Matchers.everyItem(org.hamcrest.Matchers.greaterThanOrEqualTo(1.0))));
        mvc.perform(get("/actuator/metrics/apikey.cache.size").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk());
    }

    private JsonNode apiKeys(String admin) throws Exception {
        String body = mvc.perform(get("/actuator/apikeys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        return new ObjectMapper().readTree(body);
    }
}
