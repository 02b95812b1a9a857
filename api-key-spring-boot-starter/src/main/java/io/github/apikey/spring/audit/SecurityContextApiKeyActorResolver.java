package io.github.apikey.spring.audit;

import io.github.apikey.core.audit.ApiKeyActor;
import io.github.apikey.core.audit.ApiKeyActorResolver;
import io.github.apikey.spring.security.ApiKeyPrincipal;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * The actor of the current operation from Spring Security and the current request: an API key by its key id (the
 * public part of the key), any other authenticated principal by {@code Authentication.getName()}, and the
 * {@link ApiKeyActor#SYSTEM system} without an authentication (start-up, scheduled work). The client address is the
 * request's {@code getRemoteAddr()}, as the application resolves it (the TCP peer, or the forwarded address with
 * {@code server.forward-headers-strategy}); outside a request there is none.
 */
public final class SecurityContextApiKeyActorResolver implements ApiKeyActorResolver {

    /** The widths of the audit table's columns. */
    static final int MAX_ACTOR_LENGTH = 255;
    static final int MAX_ADDRESS_LENGTH = 64;

    private final SecurityContextHolderStrategy securityContexts;

    public SecurityContextApiKeyActorResolver() {
        this(SecurityContextHolder.getContextHolderStrategy());
    }

    public SecurityContextApiKeyActorResolver(SecurityContextHolderStrategy securityContexts) {
        this.securityContexts = securityContexts;
    }

    @Override
    public ApiKeyActor currentActor() {
        Authentication authentication = securityContexts.getContext().getAuthentication();
        String address = clientAddress();
        if (authentication == null || authentication instanceof AnonymousAuthenticationToken
                || !authentication.isAuthenticated()) {
            return address == null ? ApiKeyActor.SYSTEM
                    : new ApiKeyActor(ApiKeyActor.Type.SYSTEM, ApiKeyActor.SYSTEM.name(), address);
        }
        if (authentication.getPrincipal() instanceof ApiKeyPrincipal key) {
            return ApiKeyActor.apiKey(key.getKeyId(), address);
        }
        return ApiKeyActor.user(truncate(authentication.getName(), MAX_ACTOR_LENGTH), address);
    }

    private static String clientAddress() {
        RequestAttributes attributes = RequestContextHolder.getRequestAttributes();
        if (attributes instanceof ServletRequestAttributes servlet) {
            HttpServletRequest request = servlet.getRequest();
            return truncate(request.getRemoteAddr(), MAX_ADDRESS_LENGTH);
        }
        return null;
    }

    private static String truncate(String text, int length) {
        return text == null || text.length() <= length ? text : text.substring(0, length);
    }
}
