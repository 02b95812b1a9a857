package io.github.apikey.spring.security.jwt;

import io.github.apikey.spring.security.ApiKeyAuthenticationToken;

import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class CallerController {

    /** Who called, and through which mechanism, so that a test sees which filter authenticated the request. */
    @GetMapping("/caller")
    String caller(Authentication authentication) {
        String mechanism = authentication instanceof ApiKeyAuthenticationToken ? "api-key" : "jwt";
        return mechanism + ":" + authentication.getName();
    }
}
