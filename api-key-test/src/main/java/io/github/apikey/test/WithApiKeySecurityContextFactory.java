package io.github.apikey.test;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.test.context.support.WithSecurityContextFactory;

/** Sets up the security context that {@link WithApiKey} describes. */
public final class WithApiKeySecurityContextFactory implements WithSecurityContextFactory<WithApiKey> {

    private SecurityContextHolderStrategy securityContextHolderStrategy =
            SecurityContextHolder.getContextHolderStrategy();

    @Override
    public SecurityContext createSecurityContext(WithApiKey annotation) {
        TestKeyAttributes key = new TestKeyAttributes();
        key.keyId = annotation.keyId();
        key.name = annotation.name();
        // value and scopes are aliases; read both in case the annotation reached us unsynthesized.
        key.scopes = List.of(annotation.scopes().length > 0 ? annotation.scopes() : annotation.value());
        key.active = annotation.active();
        if (!annotation.id().isEmpty()) {
            key.id = UUID.fromString(annotation.id());
        }
        if (!annotation.ownerId().isEmpty()) {
            key.ownerId = annotation.ownerId();
        }
        if (!annotation.expiresAt().isEmpty()) {
            key.expiresAt = Instant.parse(annotation.expiresAt());
        }
        SecurityContext context = securityContextHolderStrategy.createEmptyContext();
        context.setAuthentication(key.toAuthentication());
        return context;
    }

    /** Spring Security's test support calls this with the application's strategy, when it has one. */
    @Autowired(required = false)
    public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy securityContextHolderStrategy) {
        this.securityContextHolderStrategy = securityContextHolderStrategy;
    }
}
