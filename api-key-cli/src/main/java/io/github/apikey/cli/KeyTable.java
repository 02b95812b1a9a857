package io.github.apikey.cli;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.store.ApiKeyStore;

import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application's key table as the starter's beans see it: the {@link ApiKeyService} for every change and
 * verification, and the {@link ApiKeyStore} for reads by key id. Closing it writes pending last-used times and
 * closes the connection pool.
 */
final class KeyTable implements AutoCloseable {

    private static final Pattern KEY_ID = Pattern.compile("[0-9a-f]{16}");

    private final ConfigurableApplicationContext context;
    private final ApiKeyService service;
    private final ApiKeyStore store;

    KeyTable(ConfigurableApplicationContext context) {
        this.context = context;
        this.service = context.getBean(ApiKeyService.class);
        this.store = context.getBean(ApiKeyStore.class);
    }

    ApiKeyService service() {
        return service;
    }

    /** The process environment, for the import of keyshield's {@code API_KEY_*} variables. */
    Map<String, String> environment() {
        return System.getenv();
    }

    /**
     * The key named by {@code reference}: its id (a UUID) or its key id (the 16 hexadecimal characters in the middle
     * of the key, which show in logs).
     */
    ApiKey find(String reference) {
        String trimmed = reference.strip();
        if (KEY_ID.matcher(trimmed).matches()) {
            return store.findByKeyId(trimmed).orElseThrow(() -> new CliFailure(ExitCode.NOT_FOUND,
                    "No API key has the key id " + trimmed));
        }
        UUID id;
        try {
            id = UUID.fromString(trimmed);
        } catch (IllegalArgumentException notUuid) {
            // Not echoed: a full key given here by mistake must not end up in a terminal log.
            throw new CliFailure(ExitCode.USAGE, "A key is named by its id (a UUID) or its key id (the 16 lowercase "
                    + "hexadecimal characters in the middle of the key)");
        }
        try {
            return service.get(id);
        } catch (ApiKeyNotFoundException notFound) {
            throw new CliFailure(ExitCode.NOT_FOUND, notFound.getMessage());
        }
    }

    @Override
    public void close() {
        context.close();
    }
}
