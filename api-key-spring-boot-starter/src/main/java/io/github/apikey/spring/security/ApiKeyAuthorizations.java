package io.github.apikey.spring.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.Authentication;

/**
 * Scope checks for code that guards API key routes itself. A denial carries a decision that
 * {@link ApiKeyAccessDeniedHandler} turns into the standard answers: 401 {@code API key missing} for a request not
 * authenticated by a key, 403 naming the missing scopes otherwise.
 */
public final class ApiKeyAuthorizations {

    private ApiKeyAuthorizations() {
    }

    /** Grants when {@code authentication} is an API key holding every one of {@code requiredScopes}. */
    public static AuthorizationDecision decide(Authentication authentication, Collection<String> requiredScopes) {
        if (!(authentication instanceof ApiKeyAuthenticationToken token) || !token.isAuthenticated()) {
            return new ApiKeyRequiredDecision();
        }
        List<String> missing = new ArrayList<>();
        for (String scope : requiredScopes) {
            if (!token.getPrincipal().hasScope(scope) && !missing.contains(scope)) {
                missing.add(scope);
            }
        }
        return new ApiKeyScopesDecision(missing);
    }

    /** @throws AuthorizationDeniedException unless {@link #decide} grants */
    public static void requireScopes(Authentication authentication, Collection<String> requiredScopes) {
        AuthorizationDecision decision = decide(authentication, requiredScopes);
        if (!decision.isGranted()) {
            throw new AuthorizationDeniedException("Access denied", decision);
        }
    }
}
