package io.github.apikey.sample;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The sample's endpoints, on an in-memory database and without API_KEY_PEPPER. */
@SpringBootTest(properties = {"spring.datasource.url=jdbc:h2:mem:sample-tests;DB_CLOSE_DELAY=-1",
        "api-key.pepper=", "api-key.hasher.type=hmac-sha256",
        // Spring Boot's tests turn metrics export off; the sample serves /actuator/prometheus.
        "management.defaults.metrics.export.enabled=true", "management.prometheus.metrics.export.enabled=true"})
@AutoConfigureMockMvc
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    Environment environment;

    @Test
    void fallsBackToTheDevelopmentPepperWithALoudWarning(CapturedOutput output) {
        assertThat(environment.getProperty("api-key.pepper"))
                .isEqualTo(DevelopmentPepperEnvironmentPostProcessor.DEVELOPMENT_PEPPER);
        assertThat(output.getAll()).contains("API_KEY_PEPPER is not set: the sample uses a fixed DEVELOPMENT pepper")
                .doesNotContain(DevelopmentPepperEnvironmentPostProcessor.DEVELOPMENT_PEPPER)
                .doesNotContain("Using generated security password");
    }

    @Test
    void publicNeedsNoKey() throws Exception {
        mvc.perform(get("/public")).andExpect(status().isOk())
                .andExpect(jsonPath("$.message").value("This is public data"));
    }

    @Test
    void protectedNeedsAnyValidKeyAndShowsIt() throws Exception {
        String key = service.create(NewApiKey.named("reader")).plaintext();

        mvc.perform(get("/protected")).andExpect(status().isUnauthorized());
        String body = mvc.perform(get("/protected").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.message").value("This is protected data"))
                .andExpect(jsonPath("$.apiKey.name").value("reader"))
                .andExpect(jsonPath("$.apiKey.isActive").value(true))
                .andReturn().getResponse().getContentAsString();
        assertThat(body).contains("\"description\":null", "\"expiresAt\":null", "\"createdAt\":\"", "\"id\":\"")
                .contains("\"lastUsedAt\":\"");
    }

    @Test
    void protectedWriteNeedsTheWriteScope() throws Exception {
        String reader = service.create(NewApiKey.named("reader")).plaintext();
        String writer = service.create(NewApiKey.named("writer").withScopes(List.of("write"))).plaintext();

        mvc.perform(get("/protected/write").header(HttpHeaders.AUTHORIZATION, "Bearer " + reader))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("API key missing required scopes 'write'"));
        mvc.perform(get("/protected/write").header(HttpHeaders.AUTHORIZATION, "Bearer " + writer))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.apiKey.name").value("writer"));
    }

    @Test
    void swaggerUiAndTheApiDocsAreOpen() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/protected/write'].get").exists())
                .andExpect(jsonPath("$.components.securitySchemes.apiKey.scheme").value("bearer"))
                .andExpect(jsonPath("$.info.title").value("API key sample"))
                // The chain opens /public: the document must not ask for a key there.
                .andExpect(jsonPath("$.paths['/public'].get.security").isEmpty())
                .andExpect(jsonPath("$.paths['/protected'].get.security").doesNotExist())
                // The caller's key is resolved by the starter, not sent as a query parameter.
                .andExpect(jsonPath("$.paths['/protected'].get.parameters").doesNotExist())
                .andExpect(jsonPath("$.paths['/api-keys'].post.responses['201']").exists());
        mvc.perform(get("/v3/api-docs.yaml")).andExpect(status().isOk());
        mvc.perform(get("/swagger-ui/index.html")).andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("Swagger UI")));
    }

    @Test
    void healthIsOpenAndEveryOtherActuatorEndpointIsForAdministrators() throws Exception {
        String reader = service.create(NewApiKey.named("reader")).plaintext();
        String admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
        mvc.perform(get("/protected").header(HttpHeaders.AUTHORIZATION, "Bearer " + reader))
                .andExpect(status().isOk());

        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        for (String path : List.of("/actuator/metrics/apikey.verifications", "/actuator/prometheus",
                "/actuator/apikeys")) {
            mvc.perform(get(path)).andExpect(status().isUnauthorized());
            mvc.perform(get(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + reader))
                    .andExpect(status().isForbidden());
            mvc.perform(get(path).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin)).andExpect(status().isOk());
        }
        String scrape = mvc.perform(get("/actuator/prometheus").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andReturn().getResponse().getContentAsString();
        assertThat(scrape).contains("apikey_verifications_seconds_count{outcome=\"valid\",path=\"hash\"}")
                .contains("apikey_cache_size").contains("apikey_hash_slot_wait_seconds_count")
                .doesNotContain(reader).doesNotContain(admin).doesNotContain("key_id");
    }
}
