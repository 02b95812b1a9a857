package io.github.apikey.spring.security.app;

import io.github.apikey.spring.security.ApiKeyPrincipal;
import io.github.apikey.spring.security.ApiKeyProtected;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
public class GreetingController {

    @GetMapping("/hello")
    Map<String, Object> hello(ApiKeyPrincipal caller) {
        return Map.of("name", caller.getName(), "scopes", caller.getScopes());
    }

    /** What a controller knows of its caller to scope data by: owner, metadata and credits left. */
    @GetMapping("/me")
    Map<String, Object> me(ApiKeyPrincipal caller) {
        Map<String, Object> me = new LinkedHashMap<>();
        me.put("ownerId", caller.getOwnerId());
        me.put("tier", caller.getMetadata().get("tier"));
        me.put("remaining", caller.getRemaining());
        return me;
    }

    @GetMapping("/principal")
    String principal(@AuthenticationPrincipal ApiKeyPrincipal caller) {
        return caller.getKeyId();
    }

    @PostMapping("/echo")
    String echo(@RequestBody String body) {
        return body;
    }

    @GetMapping("/preauthorized")
    @PreAuthorize("hasAuthority('SCOPE_write')")
    String preAuthorized() {
        return "written";
    }

    @GetMapping("/annotated/read")
    @ApiKeyProtected(scopes = "read")
    String annotatedRead() {
        return "read";
    }

    @GetMapping("/annotated/read-write")
    @ApiKeyProtected(scopes = {"read", "write"})
    String annotatedReadWrite() {
        return "read-write";
    }

    @GetMapping("/api-keys/ping")
    String managementPing() {
        return "pong";
    }
}
