package io.github.apikey.spring.security;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.Verification;
import io.github.apikey.core.service.VerificationContext;

import java.util.Objects;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Verifies {@link ApiKeyAuthenticationToken}s with {@link ApiKeyService#authenticate(String, VerificationContext)}
 * (which also takes the request from the key's rate limits, right after the key checked out), telling
 * the service where the request came from through the token's {@link ApiKeyAuthenticationDetails} (a token without
 * them is verified as coming from an unknown address and origin, which a restricted key refuses). Scopes are not
 * checked here but by authorization, against the token's {@code SCOPE_} authorities. A refusal is the Spring Security
 * exception of its reason ({@code BadCredentialsException}, {@code DisabledException},
 * {@code AccountExpiredException}), and a store that cannot answer an {@link AuthenticationServiceException} (503),
 * never a bad credential; the core error is the cause. A key over its rate limit is refused with the limiter's
 * decision in that cause, which the entry point turns into {@code Retry-After} and {@code RateLimit} headers; an
 * accepted key's token carries the decision for the filter to report.
 */
public final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeyService service;

    public ApiKeyAuthenticationProvider(ApiKeyService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication instanceof ApiKeyAuthenticationToken token) || token.isAuthenticated()) {
            return null;
        }
        try {
            VerificationContext context = token.getDetails() instanceof ApiKeyAuthenticationDetails details
                    ? details.toVerificationContext() : VerificationContext.NONE;
            Verification verification = service.authenticate(token.getCredentials(), context);
            ApiKey key = verification != null ? verification.key()
                    // Only a test's mock answers null; the README shows mocks stubbing verify(...), so ask that too.
                    : service.verify(token.getCredentials(), context);
            if (key == null) {
                // Only a test's mock answers null: for a key it was not told about.
                throw new InvalidKeyException();
            }
            ApiKeyAuthenticationToken authenticated = verification == null
                    ? ApiKeyAuthenticationToken.authenticated(ApiKeyPrincipal.of(key))
                    : ApiKeyAuthenticationToken.authenticated(ApiKeyPrincipal.of(key), verification.rateLimit(),
                            verification.previousSecret());
            authenticated.setDetails(token.getDetails());
            return authenticated;
        } catch (ApiKeyException refused) {
            // The failure event carries this token to every listener: the presented key must not go with it.
            token.eraseCredentials();
            throw ApiKeyAuthenticationFailures.toAuthenticationException(refused);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
