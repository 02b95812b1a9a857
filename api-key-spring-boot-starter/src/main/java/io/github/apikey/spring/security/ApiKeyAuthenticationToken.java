package io.github.apikey.spring.security;

import io.github.apikey.core.ratelimit.RateLimitDecision;

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
 *
 * <p>An authenticated token also says how the verification went, for the answer's headers: the state of the key's
 * rate limits ({@link #getRateLimit()}) and whether the secret a rotation replaced was presented
 * ({@link #isPreviousSecret()}).
 */
public final class ApiKeyAuthenticationToken extends AbstractAuthenticationToken {

    public static final String AUTHORITY_PREFIX = "SCOPE_";

    private static final long serialVersionUID = 1L;

    private final ApiKeyPrincipal principal;
    private String presentedKey;
    // Describes this one request, for its answer's headers: not worth keeping in a serialized context.
    private final transient RateLimitDecision rateLimit;
    private final boolean previousSecret;

    private ApiKeyAuthenticationToken(String presentedKey) {
        super(List.of());
        this.presentedKey = presentedKey;
        this.principal = null;
        this.rateLimit = null;
        this.previousSecret = false;
        setAuthenticated(false);
    }

    private ApiKeyAuthenticationToken(ApiKeyPrincipal principal, RateLimitDecision rateLimit, boolean previousSecret) {
        super(authoritiesOf(principal));
        this.principal = principal;
        this.presentedKey = null;
        this.rateLimit = rateLimit;
        this.previousSecret = previousSecret;
        super.setAuthenticated(true);
    }

    /** A key presented by a client, not verified yet. */
    public static ApiKeyAuthenticationToken unauthenticated(String presentedKey) {
        return new ApiKeyAuthenticationToken(Objects.requireNonNull(presentedKey, "presentedKey"));
    }

    /** A verified key. */
    public static ApiKeyAuthenticationToken authenticated(ApiKeyPrincipal principal) {
        return authenticated(principal, null, false);
    }

    /**
     * A verified key, with how its verification went.
     *
     * @param rateLimit      the rate limiter's decision, or {@code null} if no limit applied (or none was counted)
     * @param previousSecret whether the secret a rotation replaced was presented
     */
    public static ApiKeyAuthenticationToken authenticated(ApiKeyPrincipal principal, RateLimitDecision rateLimit,
                                                          boolean previousSecret) {
        return new ApiKeyAuthenticationToken(Objects.requireNonNull(principal, "principal"), rateLimit,
                previousSecret);
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

    /**
     * The state of the key's rate limits after this request: what the {@code RateLimit} headers say. {@code null}
     * when no limit applies to the key, before authentication, and after deserialization.
     */
    public RateLimitDecision getRateLimit() {
        return rateLimit;
    }

    /**
     * Whether the key authenticated with the secret that its last rotation replaced, which stops working at the
     * principal's {@link ApiKeyPrincipal#getPreviousSecretExpiresAt()}.
     */
    public boolean isPreviousSecret() {
        return previousSecret;
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
