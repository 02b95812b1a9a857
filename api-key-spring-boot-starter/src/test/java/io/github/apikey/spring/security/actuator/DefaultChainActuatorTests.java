package io.github.apikey.spring.security.actuator;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The default chain with Actuator: health stays open to probes, every other endpoint needs the admin scope. */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=actuator-test-pepper-0123456789a",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
        "management.endpoints.web.exposure.include=health,env,info",
        "management.endpoint.health.probes.enabled=true",
        "management.endpoint.health.group.liveness.additional-path=server:/livez"})
@AutoConfigureMockMvc
class DefaultChainActuatorTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness", "/livez"})
    void healthAndItsGroupsAnswerProbesWithoutAKey(String path) throws Exception {
        mvc.perform(get(path)).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator", "/actuator/env", "/actuator/info"})
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
}
