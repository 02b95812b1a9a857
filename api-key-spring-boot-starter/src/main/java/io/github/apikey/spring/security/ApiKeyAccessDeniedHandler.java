package io.github.apikey.spring.security;

import io.github.apikey.core.error.KeyNotProvidedException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers authenticated requests that were denied. For a request authenticated by an API key, the answer names
 * the scopes it lacks ({@code API key missing required scopes 'a', 'b'}, with an {@code insufficient_scope}
 * challenge), as far as the denial tells them: from {@link ApiKeyProtected}, from {@code hasAuthority(...)} in
 * request rules, and from {@code SCOPE_} authorities in a {@code @PreAuthorize} expression.
 */
public final class ApiKeyAccessDeniedHandler implements AccessDeniedHandler {

    private static final Pattern SCOPE_IN_EXPRESSION = Pattern.compile(
            Pattern.quote(ApiKeyAuthenticationToken.AUTHORITY_PREFIX) + "([a-z][a-z0-9:_-]*)");

    private final ApiKeyProblemWriter problems;
    private SecurityContextHolderStrategy securityContextHolderStrategy =
            SecurityContextHolder.getContextHolderStrategy();

    public ApiKeyAccessDeniedHandler(String realm) {
        this.problems = new ApiKeyProblemWriter(realm);
    }

    public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
        this.securityContextHolderStrategy = strategy;
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException {
        AuthorizationResult result = denied instanceof AuthorizationDeniedException authorization
                ? authorization.getAuthorizationResult() : null;
        if (result instanceof ApiKeyRequiredDecision) {
            problems.unauthorized(request, response, KeyNotProvidedException.MESSAGE, false);
            return;
        }
        Authentication authentication = securityContextHolderStrategy.getContext().getAuthentication();
        if (authentication instanceof ApiKeyAuthenticationToken) {
            List<String> missing = missingScopes(result, authentication.getAuthorities());
            if (!missing.isEmpty()) {
                problems.insufficientScopes(request, response, missing);
                return;
            }
        }
        problems.problem(request, response, HttpStatus.FORBIDDEN, "Access denied");
    }

    private static List<String> missingScopes(AuthorizationResult result, Collection<? extends GrantedAuthority> held) {
        Set<String> required = new LinkedHashSet<>();
        if (result instanceof ApiKeyScopesDecision scopes) {
            return scopes.getMissingScopes();
        }
        if (result instanceof AuthorityAuthorizationDecision authorities) {
            for (GrantedAuthority authority : authorities.getAuthorities()) {
                String name = authority.getAuthority();
                if (name != null && name.startsWith(ApiKeyAuthenticationToken.AUTHORITY_PREFIX)) {
                    required.add(name.substring(ApiKeyAuthenticationToken.AUTHORITY_PREFIX.length()));
                }
            }
        } else if (result instanceof ExpressionAuthorizationDecision expression) {
            Matcher matcher = SCOPE_IN_EXPRESSION.matcher(expression.getExpression().getExpressionString());
            while (matcher.find()) {
                required.add(matcher.group(1));
            }
        }
        List<String> missing = new ArrayList<>();
        for (String scope : required) {
            boolean heldScope = held.stream().anyMatch(authority ->
                    (ApiKeyAuthenticationToken.AUTHORITY_PREFIX + scope).equals(authority.getAuthority()));
            if (!heldScope) {
                missing.add(scope);
            }
        }
        return missing;
    }
}
