package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.util.StringUtils;

/**
 * Makes sure someone can use the management API after the first start: imports {@code api-key.bootstrap.admin-key}
 * with the admin scope, or, with {@code api-key.bootstrap.generate-admin-key}, creates an admin key when none is
 * active and logs it once, as Spring Boot does with its generated password.
 */
public class ApiKeyAdminBootstrap implements ApplicationRunner {

    static final String IMPORTED_NAME = "bootstrap-admin";
    static final String GENERATED_NAME = "generated-admin";

    private static final Logger log = LoggerFactory.getLogger(ApiKeyAdminBootstrap.class);

    private final ApiKeyService service;
    private final ApiKeyProperties properties;

    public ApiKeyAdminBootstrap(ApiKeyService service, ApiKeyProperties properties) {
        this.service = service;
        this.properties = properties;
    }

    @Override
    public void run(ApplicationArguments arguments) {
        String adminScope = properties.getAdminScope();
        String adminKey = properties.getBootstrap().getAdminKey();
        if (StringUtils.hasText(adminKey)) {
            importAdminKey(adminKey.strip(), adminScope);
        } else if (properties.getBootstrap().isGenerateAdminKey() && !activeAdminKeyExists(adminScope)) {
            CreatedApiKey created = service.create(NewApiKey.named(GENERATED_NAME)
                    .withDescription("Created at start-up because no active key held the admin scope")
                    .withScopes(List.of(adminScope)));
            log.warn(String.format("%n%nUsing generated API key with scope '%s': %s%n%nIt is shown only this once. "
                    + "This generated key is for development use only.%n", adminScope, created.plaintext()));
        }
    }

    private void importAdminKey(String adminKey, String adminScope) {
        try {
            Optional<ApiKey> imported = service.importKey(IMPORTED_NAME, adminKey, List.of(adminScope));
            imported.ifPresent(key -> log.info("Imported the bootstrap admin key {} with scope '{}'",
                    key.getKeyId(), adminScope));
        } catch (InvalidKeyException malformed) {
            throw new IllegalStateException("api-key.bootstrap.admin-key is not a valid API key of this "
                    + "application's format (prefix '" + service.getFormat().getPrefix() + "')");
        }
    }

    private boolean activeAdminKeyExists(String adminScope) {
        return service.count(ApiKeyFilter.builder().active(true).scopesContainAll(List.of(adminScope)).build()) > 0;
    }
}
