package io.github.apikey.spring.security;

import io.github.apikey.core.error.ApiKeyErrorCode;
import io.github.apikey.spring.error.ApiKeyError;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
import org.springframework.security.web.access.AccessDeniedHandlerImpl;

/**
 * Answers the denials that are about API keys, and only those:
 * <ul>
 *   <li>a request authenticated by a key and denied: 403 naming the scopes it lacks ({@code API key missing required
 *   scopes 'a', 'b'}, with an {@code insufficient_scope} challenge), as far as the denial tells them: from
 *   {@link ApiKeyProtected}, from {@code hasAuthority(...)} in request rules, and from {@code SCOPE_} authorities in
 *   a {@code @PreAuthorize} expression;</li>
 *   <li>{@link ApiKeyProtected} on a request authenticated otherwise (a password, a JWT): 401 {@code API key
 *   missing}.</li>
 * </ul>
 * Every other denial (a CSRF failure, a rule that refuses a password user) goes to Spring Security's own handler,
 * which answers it as it would without API keys.
 */
public final class ApiKeyAccessDeniedHandler implements AccessDeniedHandler {

    private static final Pattern SCOPE_IN_EXPRESSION = Pattern.compile(
            Pattern.quote(ApiKeyAuthenticationToken.AUTHORITY_PREFIX) + "([a-z][a-z0-9:_-]*)");

    private final ApiKeyErrorWriter errors;
    private SecurityContextHolderStrategy securityContextHolderStrategy =
            SecurityContextHolder.getContextHolderStrategy();
    private AccessDeniedHandler otherDenials = new AccessDeniedHandlerImpl();

    public ApiKeyAccessDeniedHandler(ApiKeySecuritySettings settings) {
        this.errors = new ApiKeyErrorWriter(settings);
    }

    public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
        this.securityContextHolderStrategy = Objects.requireNonNull(strategy, "strategy");
    }

    /** Answers the denials that are not about keys; Spring Security's {@code AccessDeniedHandlerImpl} by default. */
    public void setOtherDenialsHandler(AccessDeniedHandler otherDenials) {
        this.otherDenials = Objects.requireNonNull(otherDenials, "otherDenials");
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
            throws IOException, ServletException {
        AuthorizationResult result = denied instanceof AuthorizationDeniedException authorization
                ? authorization.getAuthorizationResult() : null;
        if (result instanceof ApiKeyRequiredDecision) {
            errors.write(request, response, ApiKeyError.of(ApiKeyErrorCode.MISSING));
            return;
        }
        Authentication authentication = securityContextHolderStrategy.getContext().getAuthentication();
        if (authentication instanceof ApiKeyAuthenticationToken key && key.isAuthenticated()) {
            errors.write(request, response,
                    ApiKeyError.insufficientScope(missingScopes(result, key.getAuthorities())));
            return;
        }
        otherDenials.handle(request, response, denied);
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
