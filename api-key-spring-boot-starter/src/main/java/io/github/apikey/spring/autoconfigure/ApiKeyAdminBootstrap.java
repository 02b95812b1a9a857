package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.DuplicateApiKeyException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.util.StringUtils;

/**
 * Makes sure someone can use the management API after the first start: imports {@code api-key.bootstrap.admin-key}
 * with the admin scope, or, with {@code api-key.bootstrap.generate-admin-key}, creates an admin key and logs it once,
 * as Spring Boot does with its generated password.
 *
 * <p>Both happen on a fresh installation only: when the key table holds no key at all. So a bootstrap key that an
 * administrator deleted or replaced is never brought back by a restart.
 *
 * <p>Runs once every singleton is ready (the schema initializer and the store included) and before the web server
 * opens its port, so that the first request can already use the key. Instances starting together on one empty
 * database all succeed: the one that finds the key stored by another with the same secret counts it as imported.
 * The audit trail records it as a {@code bootstrap} by the {@code system}, once.
 */
public class ApiKeyAdminBootstrap implements SmartInitializingSingleton {

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
    public void afterSingletonsInstantiated() {
        bootstrap();
    }

    /** Imports or generates the admin key if configured and the key table is empty. */
    public void bootstrap() {
        String adminKey = properties.getBootstrap().getAdminKey();
        boolean importing = StringUtils.hasText(adminKey);
        if (!importing && !properties.getBootstrap().isGenerateAdminKey()) {
            return;
        }
        if (service.count(ApiKeyFilter.all()) > 0) {
            log.info("Skipped the bootstrap admin key: the key table already holds keys, and api-key.bootstrap.* "
                    + "applies to an empty table only (a fresh installation)");
            return;
        }
        String adminScope = properties.getAdminScope();
        if (importing) {
            importAdminKey(adminKey.strip(), adminScope);
        } else {
            CreatedApiKey created = service.bootstrapCreate(NewApiKey.named(GENERATED_NAME)
                    .withDescription("Created at start-up because the key table was empty")
                    .withScopes(List.of(adminScope)));
            log.warn(String.format("%n%nUsing generated API key with scope '%s': %s%n%nIt is shown only this once. "
                    + "This generated key is for development use only.%n", adminScope, created.plaintext()));
        }
    }

    private void importAdminKey(String adminKey, String adminScope) {
        Optional<ApiKey> imported;
        try {
            imported = importOnce(adminKey, adminScope);
        } catch (DuplicateApiKeyException storedMeanwhile) {
            // Another instance stored it between our look-up and our insert; with the same secret it is ours too.
            imported = importOnce(adminKey, adminScope);
        }
        imported.ifPresent(key -> log.info("Imported the bootstrap admin key {} with scope '{}'", key.getKeyId(),
                adminScope));
    }

    private Optional<ApiKey> importOnce(String adminKey, String adminScope) {
        try {
            return service.bootstrapImport(IMPORTED_NAME, adminKey, List.of(adminScope));
        } catch (InvalidKeyException malformed) {
            throw new IllegalStateException("api-key.bootstrap.admin-key is not a valid API key of this "
                    + "application's format (prefix '" + service.getFormat().getPrefix() + "')");
        }
    }
}
