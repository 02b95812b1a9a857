package io.github.apikey.spring.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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

    /** RFC 8594. */
    public static final String SUNSET = "Sunset";

    private final AuthenticationManager authenticationManager;
    private final ApiKeyAuthenticationConverter converter;
    private AuthenticationEntryPoint authenticationEntryPoint;
    private SecurityContextHolderStrategy securityContextHolderStrategy =
            SecurityContextHolder.getContextHolderStrategy();
    private SecurityContextRepository securityContextRepository = new RequestAttributeSecurityContextRepository();
    // Details that carry the client address and origin, which restricted keys are checked against.
    private final ApiKeyAuthenticationDetailsSource detailsSource = new ApiKeyAuthenticationDetailsSource();
    private final AuthenticationTrustResolver trustResolver = new AuthenticationTrustResolverImpl();
    private boolean refuseOtherBearerTokens;
    private Duration expiryWarning = Duration.ZERO;
    private Clock clock = Clock.systemUTC();

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
        announceExpiry(authenticated, response);
        chain.doFilter(request, response);
    }

    /**
     * Tells a client whose key expires soon when it stops working, with the {@code Sunset} header (RFC 8594): the
     * standard header for "what you rely on stops working at this time", as an HTTP-date, which client libraries
     * and gateways already log. Set before the application writes anything, so it goes with every answer.
     */
    private void announceExpiry(Authentication authenticated, HttpServletResponse response) {
        if (expiryWarning.isZero() || !(authenticated.getPrincipal() instanceof ApiKeyPrincipal key)
                || key.getExpiresAt() == null) {
            return;
        }
        Instant now = clock.instant();
        // A mocked Clock bean in a test slice answers null: no warning rather than a failed request.
        if (now != null && !key.getExpiresAt().isAfter(now.plus(expiryWarning))) {
            response.setDateHeader(SUNSET, key.getExpiresAt().toEpochMilli());
        }
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

    /**
     * How long before its expiry a key gets the {@code Sunset} header on every answer; zero (the default) for never.
     */
    public void setExpiryWarning(Duration expiryWarning) {
        Objects.requireNonNull(expiryWarning, "expiryWarning");
        if (expiryWarning.isNegative()) {
            throw new IllegalArgumentException("expiryWarning must not be negative, was " + expiryWarning);
        }
        this.expiryWarning = expiryWarning;
    }

    /** The clock that expiry warnings are given by; the system clock by default. */
    public void setClock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public void setAuthenticationEntryPoint(AuthenticationEntryPoint entryPoint) {
        this.authenticationEntryPoint = Objects.requireNonNull(entryPoint, "entryPoint");
    }
}
