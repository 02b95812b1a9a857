package io.github.apikey.spring.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Objects;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationTrustResolver;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.authentication.WebAuthenticationDetailsSource;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.context.SecurityContextRepository;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates requests that carry an API key, in the shape of Spring Security's
 * {@code BearerTokenAuthenticationFilter}: no key, the request goes on untouched; a key that verifies, a fresh
 * security context for this request only (never a session); a key that is refused, the entry point answers.
 *
 * <p>With {@link #setRefuseOtherBearerTokens(boolean)}, a bearer token without the key prefix that no earlier filter
 * authenticated is verified as a key too, and so refused as an invalid one: a credential was presented, and nothing
 * else in the chain takes bearer tokens.
 */
public final class ApiKeyAuthenticationFilter extends OncePerRequestFilter {

    private final AuthenticationManager authenticationManager;
    private final ApiKeyAuthenticationConverter converter;
    private AuthenticationEntryPoint authenticationEntryPoint;
    private SecurityContextHolderStrategy securityContextHolderStrategy =
            SecurityContextHolder.getContextHolderStrategy();
    private SecurityContextRepository securityContextRepository = new RequestAttributeSecurityContextRepository();
    private final WebAuthenticationDetailsSource detailsSource = new WebAuthenticationDetailsSource();
    private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();
    private boolean refuseOtherBearerTokens;

    public ApiKeyAuthenticationFilter(AuthenticationManager authenticationManager,
                                      ApiKeyAuthenticationConverter converter,
                                      AuthenticationEntryPoint authenticationEntryPoint) {
        this.authenticationManager = Objects.requireNonNull(authenticationManager, "authenticationManager");
        this.converter = Objects.requireNonNull(converter, "converter");
        this.authenticationEntryPoint = Objects.requireNonNull(authenticationEntryPoint, "authenticationEntryPoint");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authenticated;
        try {
            ApiKeyAuthenticationToken presented = converter.convert(request);
            if (presented == null) {
                presented = otherBearerTokenToRefuse(request);
            }
            if (presented == null) {
                chain.doFilter(request, response);
                return;
            }
            presented.setDetails(detailsSource.buildDetails(request));
            authenticated = authenticationManager.authenticate(presented);
        } catch (AuthenticationException failed) {
            securityContextHolderStrategy.clearContext();
            authenticationEntryPoint.commence(request, response, failed);
            return;
        }
        SecurityContext context = securityContextHolderStrategy.createEmptyContext();
        context.setAuthentication(authenticated);
        securityContextHolderStrategy.setContext(context);
        securityContextRepository.saveContext(context, request, response);
        chain.doFilter(request, response);
    }

    /**
     * A bearer token without the key prefix, when this filter is to refuse it: no earlier filter (a resource server,
     * an application's own) authenticated the request with it.
     */
    private ApiKeyAuthenticationToken otherBearerTokenToRefuse(HttpServletRequest request) {
        if (!refuseOtherBearerTokens) {
            return null;
        }
        String other = converter.otherBearerToken(request);
        if (other == null || trustResolver.isAuthenticated(securityContextHolderStrategy.getContext()
                .getAuthentication())) {
            return null;
        }
        return ApiKeyAuthenticationToken.unauthenticated(other);
    }

    /** Whether bearer tokens without the key prefix are refused as invalid keys; off by default. */
    public void setRefuseOtherBearerTokens(boolean refuseOtherBearerTokens) {
        this.refuseOtherBearerTokens = refuseOtherBearerTokens;
    }

    public void setSecurityContextHolderStrategy(SecurityContextHolderStrategy strategy) {
        this.securityContextHolderStrategy = Objects.requireNonNull(strategy, "strategy");
    }

    public void setSecurityContextRepository(SecurityContextRepository repository) {
        this.securityContextRepository = Objects.requireNonNull(repository, "repository");
    }

    public void setAuthenticationEntryPoint(AuthenticationEntryPoint entryPoint) {
        this.authenticationEntryPoint = Objects.requireNonNull(entryPoint, "entryPoint");
    }
}
