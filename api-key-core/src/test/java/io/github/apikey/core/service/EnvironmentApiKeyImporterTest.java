package io.github.apikey.core.service;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.hash.HmacSha256ApiKeyHasher;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.store.InMemoryApiKeyStore;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvironmentApiKeyImporterTest {

    private final ApiKeyFormat format = new ApiKeyFormat();
    private final ApiKeyService service = new ApiKeyService(new InMemoryApiKeyStore(),
            new HmacSha256ApiKeyHasher("importer-test-pepper-0123456789"));
    private final EnvironmentApiKeyImporter importer = new EnvironmentApiKeyImporter(service);

    @Test
    void importsEveryApiKeyVariableAsAKeyNamedAfterIt() {
        String dev = newKey();
        String ci = newKey();
        Map<String, String> environment = Map.of(
                "API_KEY_DEV", dev,
                "API_KEY_CI", " " + ci + "\n",
                "API_KEY_PEPPER", "a-pepper-that-is-not-a-key",
                "API_KEY_JDBC_INITIALIZE_SCHEMA", "always",
                "API_KEY_", newKey(),
                "OTHER_DEV", newKey(),
                "PATH", "/usr/bin");

        List<ApiKey> imported = importer.importFrom(environment, List.of("read"));

        assertThat(imported).extracting(ApiKey::getName).containsExactly("CI", "DEV");
        assertThat(service.verify(dev, List.of("read")).getName()).isEqualTo("DEV");
        assertThat(service.verify(ci).getName()).isEqualTo("CI");
        assertThat(service.count(ApiKeyFilter.all())).isEqualTo(2);
    }

    @Test
    void importingAgainAddsNothing() {
        Map<String, String> environment = Map.of("API_KEY_DEV", newKey());
        importer.importFrom(environment, List.of());

        assertThat(importer.importFrom(environment, List.of())).isEmpty();
        assertThat(service.count(ApiKeyFilter.all())).isEqualTo(1);
    }

    @Test
    void aMalformedKeyFailsNamingTheVariableButNotTheValue() {
        String broken = newKey().substring(0, 60);

        assertThatThrownBy(() -> importer.importFrom(Map.of("API_KEY_BROKEN", broken), List.of()))
                .isInstanceOfSatisfying(ApiKeyValidationException.class,
                        e -> assertThat(e.getField()).isEqualTo("API_KEY_BROKEN"))
                .hasMessageContaining("API_KEY_BROKEN")
                .hasMessageNotContaining(broken.substring(6));
    }

    @Test
    void importsFromTheProcessEnvironmentWithoutFailing() {
        assertThat(importer.importFromSystemEnvironment(List.of())).allSatisfy(key ->
                assertThat(System.getenv("API_KEY_" + key.getName())).isNotNull());
    }

    private String newKey() {
        return format.format(format.newKeyId(), format.newSecret());
    }
}
