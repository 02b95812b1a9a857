package io.github.apikey.test;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.spring.security.ApiKeyAuthenticationToken;
import io.github.apikey.spring.security.ApiKeyPrincipal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What a test says about the calling key, turned into the authentication the starter's filter produces for such a
 * key: an authenticated {@link ApiKeyAuthenticationToken} holding the key's {@link ApiKeyPrincipal}, with one
 * {@code SCOPE_<scope>} authority per scope. Nothing is stored and nothing is hashed.
 */
final class TestKeyAttributes {

    static final String DEFAULT_KEY_ID = "0123456789abcdef";
    static final String DEFAULT_NAME = "test-key";
    // The principal shows neither the hash nor the secret's characters; the domain key needs some all the same.
    private static final String NO_HASH = "test-key-without-a-hash";
    private static final String NO_SECRET = "****";

    UUID id;
    String keyId = DEFAULT_KEY_ID;
    String name = DEFAULT_NAME;
    String description;
    boolean active = true;
    List<String> scopes = new ArrayList<>();
    Instant createdAt;
    Instant expiresAt;
    String ownerId;
    Map<String, Object> metadata = new LinkedHashMap<>();

    ApiKey toApiKey() {
        Instant created = createdAt != null ? createdAt : Instant.now();
        UUID keyUuid = id != null ? id
                : UUID.nameUUIDFromBytes(("api-key-test:" + keyId).getBytes(StandardCharsets.UTF_8));
        return ApiKey.builder().id(keyUuid).keyId(Objects.requireNonNull(keyId, "keyId")).keyHash(NO_HASH)
                .secretFirst(NO_SECRET).secretLast(NO_SECRET).createdAt(created)
                .name(Objects.requireNonNull(name, "name")).description(description).active(active).scopes(scopes)
                .expiresAt(expiresAt).ownerId(ownerId).metadata(metadata).build();
    }

    ApiKeyAuthenticationToken toAuthentication() {
        return ApiKeyAuthenticationToken.authenticated(ApiKeyPrincipal.of(toApiKey()));
    }
}
