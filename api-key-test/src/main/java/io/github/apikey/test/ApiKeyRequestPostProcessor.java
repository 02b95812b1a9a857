package io.github.apikey.test;

import io.github.apikey.spring.security.ApiKeyAuthenticationDetails;
import io.github.apikey.spring.security.ApiKeyAuthenticationToken;
import io.github.apikey.spring.security.ApiKeyPrincipal;

import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Makes a MockMvc request arrive as if it had presented an API key with the given attributes, without a store and
 * without a hash: {@code mockMvc.perform(get("/reports").with(apiKey().scopes("reports:read")))}. Obtain one with
 * {@link ApiKeyRequestPostProcessors#apiKey()}.
 *
 * <p>The request's security context holds what the starter's filter would have put there after verifying the key:
 * an authenticated {@link ApiKeyAuthenticationToken} with the key's {@link ApiKeyPrincipal}, one
 * {@code SCOPE_<scope>} authority per scope, and {@link ApiKeyAuthenticationDetails} of the request. So
 * {@code @ApiKeyProtected(scopes = ...)}, {@code hasAuthority("SCOPE_...")}, {@code @PreAuthorize} and
 * {@code ApiKeyPrincipal} controller parameters behave as they do for a real key, and a key lacking a scope gets the
 * starter's {@code 403} problem. An {@link #inactive() inactive} or {@link #expiresAt(Instant) expired} key is refused
 * by the starter's filter as verification refuses it ({@code 403 API key inactive} / {@code API key expired}).
 *
 * <p>Verification itself does not run: no rate limit or credit is counted, no IP or origin restriction is checked,
 * last use is not recorded and no authentication event is published. Test those with real keys
 * ({@link TestApiKeys}).
 */
public final class ApiKeyRequestPostProcessor implements RequestPostProcessor {

    private final TestKeyAttributes key = new TestKeyAttributes();

    ApiKeyRequestPostProcessor() {
    }

    /** The key's id (its UUID); by default one derived from its {@link #keyId(String) key id}. */
    public ApiKeyRequestPostProcessor id(UUID id) {
        key.id = Objects.requireNonNull(id, "id");
        return this;
    }

    /** The key id, the public part of the key that logs and audit events name; {@code 0123456789abcdef} by default. */
    public ApiKeyRequestPostProcessor keyId(String keyId) {
        key.keyId = Objects.requireNonNull(keyId, "keyId");
        return this;
    }

    /** The key's name; {@code test-key} by default. */
    public ApiKeyRequestPostProcessor name(String name) {
        key.name = Objects.requireNonNull(name, "name");
        return this;
    }

    /** The key's description; none by default. */
    public ApiKeyRequestPostProcessor description(String description) {
        key.description = description;
        return this;
    }

    /** The key's scopes, replacing any set before; none by default. */
    public ApiKeyRequestPostProcessor scopes(String... scopes) {
        key.scopes = List.of(scopes);
        return this;
    }

    /** Whether the key is active; {@code true} by default. */
    public ApiKeyRequestPostProcessor active(boolean active) {
        key.active = active;
        return this;
    }

    /** A disabled key, which the starter's filter refuses with {@code 403 API key inactive}. */
    public ApiKeyRequestPostProcessor inactive() {
        return active(false);
    }

    /**
     * When the key expires; never by default. A time that has passed makes the starter's filter refuse the key with
     * {@code 403 API key expired}.
     */
    public ApiKeyRequestPostProcessor expiresAt(Instant expiresAt) {
        key.expiresAt = expiresAt;
        return this;
    }

    /** When the key was created; the time of the request by default. */
    public ApiKeyRequestPostProcessor createdAt(Instant createdAt) {
        key.createdAt = createdAt;
        return this;
    }

    /** Who the key belongs to (a user or tenant id); none by default. */
    public ApiKeyRequestPostProcessor ownerId(String ownerId) {
        key.ownerId = ownerId;
        return this;
    }

    /** The application's own data about the key, a JSON object; empty by default. */
    public ApiKeyRequestPostProcessor metadata(Map<String, ?> metadata) {
        key.metadata = new LinkedHashMap<>(Objects.requireNonNull(metadata, "metadata"));
        return this;
    }

    @Override
    public MockHttpServletRequest postProcessRequest(MockHttpServletRequest request) {
        ApiKeyAuthenticationToken authentication = key.toAuthentication();
        authentication.setDetails(new ApiKeyAuthenticationDetails(request));
        return SecurityMockMvcRequestPostProcessors.authentication(authentication).postProcessRequest(request);
    }

    @Override
    public String toString() {
        return "apiKey(keyId=" + key.keyId + ", name=" + key.name + ", scopes=" + Arrays.toString(
                key.scopes.toArray()) + ", active=" + key.active + ", expiresAt=" + key.expiresAt + ")";
    }
}
