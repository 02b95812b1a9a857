package io.github.apikey.spring.security;

import io.github.apikey.core.error.ApiKeyException;
import io.github.apikey.core.error.KeyExpiredException;
import io.github.apikey.core.error.KeyInactiveException;
import io.github.apikey.core.ratelimit.RateLimitDecision;
import io.github.apikey.spring.error.RateLimitHeaders;

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
 *
 * <p>A request that presents no key but whose security context already holds a key's authentication (one that a
 * test set up with {@code api-key-test}, or a repository of the application's restored) is checked for the key's
 * state as verification checks it: an inactive or expired key is refused through the entry point, exactly as if it
 * had been presented.
 *
 * <p>A key to which rate limits apply is counted right after it verified, before anything else runs: over its
 * limit, the entry point answers 429 with {@code Retry-After}; within it, every answer carries the
 * {@code RateLimit-Policy} and {@code RateLimit} fields ({@link RateLimitHeaders}), set before the application
 * writes anything.
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
                ApiKeyException refused = refusalOfEstablishedKey();
                if (refused != null) {
                    throw ApiKeyAuthenticationFailures.toAuthenticationException(refused);
                }
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
        reportRateLimit(authenticated, response);
        announceExpiry(authenticated, response);
        chain.doFilter(request, response);
    }

    private static void reportRateLimit(Authentication authenticated, HttpServletResponse response) {
        RateLimitDecision rateLimit = authenticated instanceof ApiKeyAuthenticationToken token
                ? token.getRateLimit() : null;
        if (rateLimit != null) {
            response.setHeader(RateLimitHeaders.RATE_LIMIT_POLICY, RateLimitHeaders.policy(rateLimit));
            response.setHeader(RateLimitHeaders.RATE_LIMIT, RateLimitHeaders.rateLimit(rateLimit));
        }
    }

    /**
     * Tells a client when what it uses stops working, with the {@code Sunset} header (RFC 8594): the standard header
     * for "what you rely on stops working at this time", as an HTTP-date, which client libraries and gateways already
     * log. Two things end: the key, when it expires within the expiry warning, and the secret a rotation replaced,
     * when the client presented it (its grace period is itself the warning). The earlier end is announced. Set
     * before the application writes anything, so it goes with every answer.
     */
    private void announceExpiry(Authentication authenticated, HttpServletResponse response) {
        if (expiryWarning.isZero() || !(authenticated.getPrincipal() instanceof ApiKeyPrincipal key)) {
            return;
        }
        Instant sunset = null;
        if (authenticated instanceof ApiKeyAuthenticationToken token && token.isPreviousSecret()) {
            sunset = key.getPreviousSecretExpiresAt();
        }
        if (key.getExpiresAt() != null && (sunset == null || key.getExpiresAt().isBefore(sunset))) {
            Instant now = clock.instant();
            // A mocked Clock bean in a test slice answers null: no warning rather than a failed request.
            if (now != null && !key.getExpiresAt().isAfter(now.plus(expiryWarning))) {
                sunset = key.getExpiresAt();
            }
        }
        if (sunset != null) {
            response.setDateHeader(SUNSET, sunset.toEpochMilli());
        }
    }

    /**
     * The refusal that verification would give the key whose authentication the security context already holds, or
     * {@code null} if it holds none or the key may authenticate.
     */
    private ApiKeyException refusalOfEstablishedKey() {
        Authentication established = securityContextHolderStrategy.getContext().getAuthentication();
        if (!(established instanceof ApiKeyAuthenticationToken token) || !token.isAuthenticated()
                || token.getPrincipal() == null) {
            return null;
        }
        ApiKeyPrincipal key = token.getPrincipal();
        if (!key.isActive()) {
            return new KeyInactiveException();
        }
        Instant now = clock.instant();
        // A mocked Clock bean in a test slice answers null: the expiry cannot be judged, as in announceExpiry.
        if (now != null && key.getExpiresAt() != null && !now.isBefore(key.getExpiresAt())) {
            return new KeyExpiredException();
        }
        return null;
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
     * How long before its expiry a key gets the {@code Sunset} header on every answer; zero (the default) turns the
     * header off, also for a rotated key's previous secret.
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
