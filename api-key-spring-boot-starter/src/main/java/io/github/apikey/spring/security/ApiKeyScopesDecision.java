package io.github.apikey.spring.security;

import java.util.List;

import org.springframework.security.authorization.AuthorizationDecision;

/** A decision on {@link ApiKeyProtected} that remembers which scopes the key lacks. */
public final class ApiKeyScopesDecision extends AuthorizationDecision {

    private static final long serialVersionUID = 1L;

    private final List<String> missingScopes;

    ApiKeyScopesDecision(List<String> missingScopes) {
        super(missingScopes.isEmpty());
        this.missingScopes = List.copyOf(missingScopes);
    }

    public List<String> getMissingScopes() {
        return missingScopes;
    }

    @Override
    public String toString() {
        return "ApiKeyScopesDecision[granted=" + isGranted() + ", missingScopes=" + missingScopes + "]";
    }
}
