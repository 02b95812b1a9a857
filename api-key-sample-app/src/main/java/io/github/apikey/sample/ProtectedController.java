package io.github.apikey.sample;

import io.github.apikey.spring.security.ApiKeyPrincipal;
import io.github.apikey.spring.security.ApiKeyProtected;

import io.swagger.v3.oas.annotations.Operation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ProtectedController {

    @GetMapping("/public")
    @Operation(operationId = "publicData", summary = "Public data: no key needed")
    Map<String, String> publicData() {
        return Map.of("message", "This is public data");
    }

    @GetMapping("/protected")
    @Operation(operationId = "protectedData", summary = "Protected data: any valid key")
    ProtectedData protectedData(ApiKeyPrincipal apiKey) {
        return new ProtectedData("This is protected data", CallerView.of(apiKey));
    }

    @GetMapping("/protected/write")
    @ApiKeyProtected(scopes = "write")
    @Operation(operationId = "protectedWrite", summary = "Protected data: a key with scope 'write'")
    ProtectedData protectedWrite(ApiKeyPrincipal apiKey) {
        return new ProtectedData("This is protected data you may write", CallerView.of(apiKey));
    }

    record ProtectedData(String message, CallerView apiKey) {
    }

    @JsonInclude(JsonInclude.Include.ALWAYS)
    record CallerView(UUID id, String name, String description, @JsonProperty("isActive") boolean isActive,
                      Instant createdAt, Instant expiresAt, Instant lastUsedAt) {

        static CallerView of(ApiKeyPrincipal key) {
            return new CallerView(key.getId(), key.getName(), key.getDescription(), key.isActive(),
                    key.getCreatedAt(), key.getExpiresAt(), key.getLastUsedAt());
        }
    }
}
