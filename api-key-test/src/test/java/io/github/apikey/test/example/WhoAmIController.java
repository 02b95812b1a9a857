package io.github.apikey.test.example;

import io.github.apikey.spring.security.ApiKeyAuthenticationToken;
import io.github.apikey.spring.security.ApiKeyPrincipal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** Shows everything the application can learn about the caller, to compare test keys with real ones. */
@RestController
class WhoAmIController {

    @GetMapping("/whoami")
    Map<String, Object> whoami(ApiKeyPrincipal caller, @AuthenticationPrincipal ApiKeyPrincipal principal) {
        var authentication = SecurityContextHolder.getContext().getAuthentication();
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("type", authentication.getClass().getName());
        answer.put("authenticated", authentication.isAuthenticated());
        answer.put("name", authentication.getName());
        answer.put("credentials", String.valueOf(authentication.getCredentials()));
        answer.put("authorities", authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .toList());
        answer.put("details", authentication.getDetails() == null ? null
                : authentication.getDetails().getClass().getName());
        answer.put("previousSecret", ((ApiKeyAuthenticationToken) authentication).isPreviousSecret());
        answer.put("sameAsResolvedPrincipal", caller == principal && caller == authentication.getPrincipal());
        answer.put("principal", caller);
        return answer;
    }
}
