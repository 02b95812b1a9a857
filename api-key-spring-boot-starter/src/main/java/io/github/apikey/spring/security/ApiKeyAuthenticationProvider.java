package io.github.apikey.spring.security;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.error.ApiKeyStoreException;
import io.github.apikey.core.error.InvalidKeyException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.error.KeyNotProvidedException;
import io.github.apikey.core.service.ApiKeyService;

import java.util.Objects;
import java.util.Set;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Verifies {@link ApiKeyAuthenticationToken}s with {@link ApiKeyService#verify}. Scopes are not checked here but
 * by authorization, against the token's {@code SCOPE_} authorities. A store that cannot answer becomes an
 * {@link AuthenticationServiceException} (503), never a bad credential.
 */
public final class ApiKeyAuthenticationProvider implements AuthenticationProvider {

    private final ApiKeyService service;

    public ApiKeyAuthenticationProvider(ApiKeyService service) {
        this.service = Objects.requireNonNull(service, "service");
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        if (!(authentication instanceof ApiKeyAuthenticationToken token)) {
            return null;
        }
        try {
            ApiKey key = service.verify(token.getCredentials(), Set.of());
            ApiKeyAuthenticationToken authenticated = ApiKeyAuthenticationToken.authenticated(ApiKeyPrincipal.of(key));
            authenticated.setDetails(token.getDetails());
            return authenticated;
        } catch (KeyNotProvidedException | InvalidKeyException invalid) {
            throw new InvalidApiKeyException(InvalidKeyException.MESSAGE);
        } catch (KeyInactiveException inactive) {
            throw new InactiveApiKeyException(inactive.getMessage());
        } catch (KeyExpiredException expired) {
            throw new ExpiredApiKeyException(expired.getMessage());
        } catch (ApiKeyStoreException unavailable) {
            throw new AuthenticationServiceException("API key store unavailable", unavailable);
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return ApiKeyAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
