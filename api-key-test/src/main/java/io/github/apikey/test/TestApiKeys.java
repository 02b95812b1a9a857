package io.github.apikey.test;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Creates real keys in the application's store through its {@link ApiKeyService}, for integration tests that go
 * through verification as production requests do: the hash check, state, rate limits, credits, restrictions, last
 * use and authentication events. Each key's plaintext is returned once, with its entity.
 *
 * <p>Real keys are as fast as the application's hasher: give tests the HMAC-SHA256 hasher
 * ({@code api-key.hasher.type=hmac-sha256}, and a test pepper, in {@code application-test.properties}) so that a
 * key is hashed and verified in microseconds instead of Argon2id's tens of milliseconds.
 *
 * <p>With {@code api-key-test} on the test class path, a {@code @SpringBootTest} application (or a
 * {@code @WebMvcTest} slice) that has an {@code ApiKeyService} has a {@code TestApiKeys} bean to inject; elsewhere,
 * construct one around a service. {@link #deleteCreated()} removes what it created, for tests that share a store.
 */
public class TestApiKeys {

    private final ApiKeyService service;
    private final List<UUID> created = new ArrayList<>();

    public TestApiKeys(ApiKeyService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    /** A new active key with this name and these scopes, and nothing else. */
    public CreatedApiKey create(String name, String... scopes) {
        return create(NewApiKey.named(name).withScopes(List.of(scopes)));
    }

    /** A new key as {@code request} describes it (inactive, expiring, restricted, with credits...). */
    public CreatedApiKey create(NewApiKey request) {
        CreatedApiKey key = service.create(request);
        synchronized (created) {
            created.add(key.apiKey().getId());
        }
        return key;
    }

    /** The key as the store holds it now, such as its last use after a request. */
    public ApiKey reload(CreatedApiKey key) {
        return service.get(key.apiKey().getId());
    }

    /**
     * Deletes every key this helper created that still exists, and forgets them; call it from {@code @AfterEach}
     * when tests share a store.
     */
    public void deleteCreated() {
        List<UUID> ids;
        synchronized (created) {
            ids = List.copyOf(created);
            created.clear();
        }
        for (UUID id : ids) {
            try {
                service.delete(id);
            } catch (ApiKeyNotFoundException alreadyGone) {
                // The test deleted it itself.
            }
        }
    }

    /**
     * A MockMvc request post-processor that presents {@code key} as a client does, in
     * {@code Authorization: Bearer <key>}.
     */
    public static RequestPostProcessor bearer(CreatedApiKey key) {
        return bearer(key.plaintext());
    }

    /** A MockMvc request post-processor that presents this plaintext key in {@code Authorization: Bearer}. */
    public static RequestPostProcessor bearer(String plaintext) {
        Objects.requireNonNull(plaintext, "plaintext");
        return request -> {
            request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + plaintext);
            return request;
        };
    }

    @Override
    public String toString() {
        return "TestApiKeys[" + service + "]";
    }
}
