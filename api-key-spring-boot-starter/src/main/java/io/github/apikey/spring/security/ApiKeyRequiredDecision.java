package io.github.apikey.spring.security;

import org.springframework.security.authorization.AuthorizationDecision;

/** A denial on {@link ApiKeyProtected} because the request was not authenticated by an API key at all. */
final class ApiKeyRequiredDecision extends AuthorizationDecision {

    private static final long serialVersionUID = 1L;

    ApiKeyRequiredDecision() {
        super(false);
    }
}
