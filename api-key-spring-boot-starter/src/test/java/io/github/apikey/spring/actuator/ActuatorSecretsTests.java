package io.github.apikey.spring.actuator;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.core.env.MapPropertySource;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * {@code /actuator/env} and {@code /actuator/configprops} with every value shown, requested by an administrator:
 * the pepper and the bootstrap admin key are masked all the same.
 */
@SpringBootTest(classes = SecuredApplication.class, properties = {
        "api-key.pepper=" + ActuatorSecretsTests.PEPPER, "api-key.hasher.type=hmac-sha256",
        "spring.datasource.generate-unique-name=true",
        "management.endpoints.web.exposure.include=env,configprops",
        "management.endpoint.env.show-values=always", "management.endpoint.configprops.show-values=always"})
@AutoConfigureMockMvc
class ActuatorSecretsTests {

    static final String PEPPER = "actuator-secrets-pepper-0123456789-abcdefghij";
    private static final ApiKeyFormat FORMAT = new ApiKeyFormat();
    private static final String ADMIN_KEY = FORMAT.format(FORMAT.newKeyId(), FORMAT.newSecret());

    @Autowired
    MockMvc mvc;

    @Autowired
    ObjectProvider<SanitizingFunction> sanitizingFunctions;

    @DynamicPropertySource
    static void bootstrapKey(DynamicPropertyRegistry registry) {
        registry.add("api-key.bootstrap.admin-key", () -> ADMIN_KEY);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/actuator/env", "/actuator/env/api-key.pepper",
            "/actuator/env/api-key.bootstrap.admin-key", "/actuator/configprops", "/actuator/configprops/api-key"})
    void neitherThePepperNorTheBootstrapKeyIsShown(String endpoint) throws Exception {
        String body = mvc.perform(get(endpoint).header(HttpHeaders.AUTHORIZATION, "Bearer " + ADMIN_KEY))
                .andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();

        assertThat(body).contains(SanitizableData.SANITIZED_VALUE)
                .doesNotContain(PEPPER)
                .doesNotContain(ADMIN_KEY)
                .doesNotContain(ADMIN_KEY.substring(ADMIN_KEY.lastIndexOf('-') + 1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"API_KEY_PEPPER", "api-key.pepper", "apiKey.pepper", "API_KEY_BOOTSTRAP_ADMIN_KEY",
            "api-key.bootstrap.admin-key", "api-key.bootstrap.adminKey"})
    void everySpellingOfTheSecretPropertiesIsMasked(String key) {
        SanitizableData data = new SanitizableData(new MapPropertySource("test", java.util.Map.of()), key, "secret");

        assertThat(sanitize(data).getValue()).isEqualTo(SanitizableData.SANITIZED_VALUE);
    }

    @Test
    void otherPropertiesOfTheStarterStayVisible() {
        SanitizableData data = new SanitizableData(new MapPropertySource("test", java.util.Map.of()),
                "api-key.prefix", "ak_v1");

        assertThat(sanitize(data).getValue()).isEqualTo("ak_v1");
    }

    private SanitizableData sanitize(SanitizableData data) {
        for (SanitizingFunction function : sanitizingFunctions.orderedStream().toList()) {
            data = function.applyUnlessFiltered(data);
        }
        return data;
    }
}
