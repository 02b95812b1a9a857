package io.github.apikey.core.service;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyValidationException;
import io.github.apikey.core.error.InvalidKeyException;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Imports keys kept in environment variables, as keyshield's {@code load_dotenv} does: every
 * {@code API_KEY_<NAME>=<full key>} becomes a key named {@code <NAME>}. Opt-in: nothing calls it unless you do.
 *
 * <p>Variables whose value does not start with the key prefix are other settings (such as
 * {@code API_KEY_PEPPER}) and are skipped. A value that starts with the prefix but is malformed fails the import,
 * naming the variable but never its value.
 */
public final class EnvironmentApiKeyImporter {

    public static final String VARIABLE_PREFIX = "API_KEY_";

    private final ApiKeyService service;

    public EnvironmentApiKeyImporter(ApiKeyService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /** Imports from this process's environment. */
    public List<ApiKey> importFromSystemEnvironment(Collection<String> scopes) {
        return importFrom(System.getenv(), scopes);
    }

    /**
     * Imports every key variable of {@code environment} that is not stored yet, granting each {@code scopes}.
     *
     * @return the keys newly stored, in variable name order
     * @throws ApiKeyValidationException naming the variable whose value is not a valid key
     */
    public List<ApiKey> importFrom(Map<String, String> environment, Collection<String> scopes) {
        List<ApiKey> imported = new ArrayList<>();
        for (Map.Entry<String, String> variable : new TreeMap<>(environment).entrySet()) {
            String name = variable.getKey();
            String value = variable.getValue() == null ? "" : variable.getValue().strip();
            if (!name.startsWith(VARIABLE_PREFIX) || name.length() == VARIABLE_PREFIX.length()
                    || !service.getFormat().hasPrefix(value)) {
                continue;
            }
            try {
                service.importKey(name.substring(VARIABLE_PREFIX.length()), value, scopes)
                        .ifPresent(imported::add);
            } catch (InvalidKeyException malformed) {
                throw new ApiKeyValidationException(name, "Environment variable " + name
                        + " starts with the API key prefix but does not hold a valid API key");
            }
        }
        return imported;
    }
}
