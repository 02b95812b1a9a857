package io.github.apikey.spring.security;

import java.util.Collection;
import java.util.List;
import java.util.Objects;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * Before authentication: the key a client presented. After: the verified key's {@link ApiKeyPrincipal} and one
 * {@code SCOPE_<scope>} authority per scope, so that {@code hasAuthority('SCOPE_write')} works as it does for
 * OAuth2 tokens. The presented key is never part of {@link #toString()}, and is erased once authenticated.
 */
public final class ApiKeyAuthenticationToken extends AbstractAuthenticationToken {

    public static final String AUTHORITY_PREFIX = "SCOPE_";

    private static final long serialVersionUID = 1L;

    private final ApiKeyPrincipal principal;
    private String presentedKey;

    private ApiKeyAuthenticationToken(String presentedKey) {
        super(List.of());
        this.presentedKey = presentedKey;
        this.principal = null;
        setAuthenticated(false);
    }

    private ApiKeyAuthenticationToken(ApiKeyPrincipal principal) {
        super(authoritiesOf(principal));
        this.principal = principal;
        this.presentedKey = null;
        super.setAuthenticated(true);
    }

    /** A key presented by a client, not verified yet. */
    public static ApiKeyAuthenticationToken unauthenticated(String presentedKey) {
        return new ApiKeyAuthenticationToken(Objects.requireNonNull(presentedKey, "presentedKey"));
    }

    /** A verified key. */
    public static ApiKeyAuthenticationToken authenticated(ApiKeyPrincipal principal) {
        return new ApiKeyAuthenticationToken(Objects.requireNonNull(principal, "principal"));
    }

    private static Collection<GrantedAuthority> authoritiesOf(ApiKeyPrincipal principal) {
        return principal.getScopes().stream()
                .<GrantedAuthority>map(scope -> new SimpleGrantedAuthority(AUTHORITY_PREFIX + scope))
                .toList();
    }

    /** The presented key before authentication; {@code null} afterwards. */
    @Override
    public String getCredentials() {
        return presentedKey;
    }

    /** The verified key's public view; {@code null} before authentication. */
    @Override
    public ApiKeyPrincipal getPrincipal() {
        return principal;
    }

    /** The key id, which identifies the key in logs and audit events. */
    @Override
    public String getName() {
        return principal == null ? "" : principal.getKeyId();
    }

    @Override
    public void setAuthenticated(boolean authenticated) {
        if (authenticated) {
            throw new IllegalArgumentException("Use ApiKeyAuthenticationToken.authenticated(principal) instead");
        }
        super.setAuthenticated(false);
    }

    @Override
    public void eraseCredentials() {
        super.eraseCredentials();
        presentedKey = null;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKeyAuthenticationToken that && super.equals(that)
                && Objects.equals(principal, that.principal);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), principal);
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationToken[principal=" + principal + ", authenticated=" + isAuthenticated()
                + ", authorities=" + getAuthorities() + ", credentials=[PROTECTED]]";
    }
}
