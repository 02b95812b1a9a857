package io.github.apikey.spring.web;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.spring.web.app.ManagementApplication;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.apikey.spring.security.ApiKeyConfigurer.apiKeys;
import static io.github.apikey.spring.web.ManagementApiTests.problem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.config.Customizer.withDefaults;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The management API's switches: off by property, admin scope whatever the chain, bootstrap, OpenAPI. */
class ManagementSwitchesTests {

    static final String ADMIN_KEY = new ApiKeyFormat().format("00000000000000a1", "A".repeat(32) + "b".repeat(32));

    @Nested
    @SpringBootTest(classes = ManagementApplication.class, properties = {"api-key.pepper=switch-pepper-0123456789abcdefgh",
            "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
            "api-key.web.enabled=false"})
    @AutoConfigureMockMvc
    class SwitchedOff {

        @Autowired
        MockMvc mvc;

        @Autowired
        ApplicationContext context;

        @Autowired
        ApiKeyService service;

        @Test
        void thereIsNoManagementApi() throws Exception {
            String admin = service.create(NewApiKey.named("a").withScopes(List.of("api-keys:admin"))).plaintext();

            assertThat(context.getBeanNamesForType(ApiKeyController.class)).isEmpty();
            mvc.perform(get("/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                    .andExpect(status().isNotFound());
        }
    }

    @Nested
    @SpringBootTest(classes = ManagementApplication.class, properties = {"api-key.pepper=switch-pepper-0123456789abcdefgh",
            "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
    @AutoConfigureMockMvc
    @Import(PermitEverything.class)
    class UnderAPermissiveChain {

        @Autowired
        MockMvc mvc;

        @Autowired
        ApiKeyService service;

        @Test
        void theManagementApiStillWantsTheAdminScope() throws Exception {
            String plain = service.create(NewApiKey.named("plain")).plaintext();
            String admin = service.create(NewApiKey.named("a").withScopes(List.of("api-keys:admin"))).plaintext();

            problem(mvc.perform(get("/api-keys")), 401, "API key missing");
            problem(mvc.perform(get("/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + plain)), 403,
                    "API key missing required scopes 'api-keys:admin'");
            mvc.perform(get("/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                    .andExpect(status().isOk());
        }
    }

    @Nested
    @SpringBootTest(classes = ManagementApplication.class, properties = {"api-key.pepper=switch-pepper-0123456789abcdefgh",
            "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
            "api-key.bootstrap.admin-key=" + "ak_v1-00000000000000a1-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"})
    @AutoConfigureMockMvc
    class WithABootstrapAdminKey {

        @Autowired
        MockMvc mvc;

        @Autowired
        ApiKeyService service;

        @Test
        void theConfiguredKeyIsImportedWithTheAdminScopeAndDescribedByOpenApi() throws Exception {
            assertThat(service.verify(ADMIN_KEY, List.of("api-keys:admin")).getName()).isEqualTo("bootstrap-admin");

            mvc.perform(get("/v3/api-docs").header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY))
                    .andExpect(status().isOk())
                    .andExpect(jsonPath("$.paths['/api-keys'].post").exists())
                    .andExpect(jsonPath("$.paths['/api-keys/{id}'].patch").exists())
                    .andExpect(jsonPath("$.paths['/api-keys/search'].post").exists())
                    .andExpect(jsonPath("$.paths['/api-keys/verify'].post").exists())
                    .andExpect(jsonPath("$.components.securitySchemes.apiKey.type").value("http"))
                    .andExpect(jsonPath("$.components.securitySchemes.apiKey.scheme").value("bearer"))
                    .andExpect(jsonPath("$.security[0].apiKey").exists());
        }
    }

    @Nested
    @SpringBootTest(classes = ManagementApplication.class, properties = {"api-key.pepper=switch-pepper-0123456789abcdefgh",
            "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
            "api-key.bootstrap.generate-admin-key=true"})
    @ExtendWith(OutputCaptureExtension.class)
    class GeneratingAnAdminKey {

        @Autowired
        ApiKeyService service;

        @Autowired
        io.github.apikey.spring.autoconfigure.ApiKeyAdminBootstrap bootstrap;

        @Test
        void createsOneLogsItOnceAndCreatesNoMoreOnceTheTableHoldsKeys(CapturedOutput output) throws Exception {
            ApiKeyFilter admins = ApiKeyFilter.builder().scopesContainAll(List.of("api-keys:admin")).build();
            assertThat(service.count(admins)).isEqualTo(1);

            bootstrap.bootstrap();

            assertThat(service.count(admins)).isEqualTo(1);
            java.util.regex.Matcher logged = java.util.regex.Pattern
                    .compile("Using generated API key with scope 'api-keys:admin': (ak_v1-\\S+)").matcher(output.getAll());
            assertThat(logged.find()).isTrue();
            assertThat(service.verify(logged.group(1), List.of("api-keys:admin")).getName())
                    .isEqualTo("generated-admin");
            assertThat(logged.find()).as("logged once").isFalse();
            assertThat(output.getAll()).doesNotContain("Using generated security password");
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PermitEverything {

        @Bean
        SecurityFilterChain permitEverything(HttpSecurity http) {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
                    .with(apiKeys(), withDefaults())
                    .build();
        }
    }
}
