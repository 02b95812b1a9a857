package io.github.apikey.spring.security;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;

import jakarta.servlet.http.HttpServletRequest;

import java.time.Clock;
import java.time.Duration;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.AuthenticationEventPublisher;
import org.springframework.security.authentication.DefaultAuthenticationEventPublisher;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.AbstractConfiguredSecurityBuilder;
import org.springframework.security.config.annotation.web.HttpSecurityBuilder;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.resource.OAuth2ResourceServerConfigurer;
import org.springframework.security.web.DefaultSecurityFilterChain;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.util.ClassUtils;

/**
 * Adds API key authentication to a {@code SecurityFilterChain}:
 *
 * <pre>{@code
 * http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
 *     .with(apiKeys(), withDefaults());
 * }</pre>
 *
 * It adds the key filter before authorization and exempts key-carrying requests from CSRF protection, which guards
 * cookies, not bearer credentials. Like Spring Security's own configurers it takes beans and plain values: by
 * default the application's {@link ApiKeyService}, {@link ApiKeySecuritySettings},
 * {@link AuthenticationEventPublisher} and {@link Clock} beans.
 *
 * <p>The key filter tells the service where each request comes from ({@link ApiKeyAuthenticationDetails}: the
 * request's remote address, as forwarded-header support resolved it, and its {@code Origin}), and answers with the
 * {@code Sunset} header when the key expires within the expiry warning.
 *
 * <p>Who answers which request, whatever the order of the DSL calls:
 * <ul>
 *   <li>a request that carries a key is answered by API key authentication, which answers its own refusals;</li>
 *   <li>a request that carries no credential at all is answered by the chain's other mechanism (HTTP Basic, a
 *   resource server, form login) when it has one, and by API key authentication when keys are the chain's only
 *   mechanism;</li>
 *   <li>a denial is answered by API key authentication when it concerns a key (a key that lacks scopes, an
 *   {@link ApiKeyProtected} method called without a key), and by Spring Security's own handlers otherwise.</li>
 * </ul>
 * A bearer token without the key prefix is left to the chain's resource server when it has one
 * ({@code oauth2ResourceServer(...)}, with {@link ApiKeyBearerTokenResolver}); otherwise, unless an earlier filter
 * authenticated the request, it is refused as an invalid key.
 */
public final class ApiKeyConfigurer<H extends HttpSecurityBuilder<H>>
        extends AbstractHttpConfigurer<ApiKeyConfigurer<H>, H> {

    private static final boolean RESOURCE_SERVER_PRESENT = ClassUtils.isPresent(
            "org.springframework.security.oauth2.server.resource.web.BearerTokenResolver",
            ApiKeyConfigurer.class.getClassLoader());

    private ApiKeyService apiKeyService;
    private ApiKeyFormat format;
    private String headerName;
    private String realm;
    private Duration expiryWarning;
    private AuthenticationEventPublisher authenticationEventPublisher;

    private ApiKeyService verifyingService;
    private ApiKeyAuthenticationConverter converter;
    private ApiKeyAuthenticationEntryPoint entryPoint;
    private ApiKeyAccessDeniedHandler accessDeniedHandler;
    private boolean refuseOtherBearerTokens;
    private Duration effectiveExpiryWarning;
    private Clock clock;

    /** The DSL entry point: {@code http.with(apiKeys(), withDefaults())}. */
    public static ApiKeyConfigurer<HttpSecurity> apiKeys() {
        return new ApiKeyConfigurer<>();
    }

    /** The service that verifies keys; by default the application's {@link ApiKeyService} bean. */
    public ApiKeyConfigurer<H> apiKeyService(ApiKeyService apiKeyService) {
        this.apiKeyService = apiKeyService;
        return this;
    }

    /** The format whose prefix tells keys from other bearer tokens; by default the service's own. */
    public ApiKeyConfigurer<H> format(ApiKeyFormat format) {
        this.format = format;
        return this;
    }

    /** Also reads keys from this header, for example {@code X-API-Key}; by default {@link ApiKeySecuritySettings}'. */
    public ApiKeyConfigurer<H> headerName(String headerName) {
        this.headerName = headerName;
        return this;
    }

    /** The realm of {@code WWW-Authenticate} challenges; by default {@link ApiKeySecuritySettings}'. */
    public ApiKeyConfigurer<H> realm(String realm) {
        this.realm = realm;
        return this;
    }

    /**
     * How long before its expiry a key is answered with the {@code Sunset} header (RFC 8594); zero for never. By
     * default {@link ApiKeySecuritySettings}'.
     */
    public ApiKeyConfigurer<H> expiryWarning(Duration expiryWarning) {
        this.expiryWarning = expiryWarning;
        return this;
    }

    /**
     * Receives the success and failure of every key authentication; by default the application's
     * {@link AuthenticationEventPublisher} bean (Spring Boot defines one), else one that publishes to the context.
     */
    public ApiKeyConfigurer<H> authenticationEventPublisher(AuthenticationEventPublisher publisher) {
        this.authenticationEventPublisher = publisher;
        return this;
    }

    @Override
    public void init(H http) {
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        verifyingService = apiKeyService != null ? apiKeyService : requiredService(context);
        ApiKeySecuritySettings defaults = context == null ? ApiKeySecuritySettings.DEFAULTS
                : context.getBeanProvider(ApiKeySecuritySettings.class)
                        .getIfAvailable(() -> ApiKeySecuritySettings.DEFAULTS);
        ApiKeySecuritySettings settings = new ApiKeySecuritySettings(
                headerName != null ? headerName : defaults.getHeaderName(),
                realm != null ? realm : defaults.getRealm(),
                expiryWarning != null ? expiryWarning : defaults.getExpiryWarning());
        effectiveExpiryWarning = settings.getExpiryWarning();
        // The service's clock, as the auto-configuration gives it one, so that Retry-After and Sunset agree with it.
        clock = context == null ? Clock.systemUTC()
                : context.getBeanProvider(Clock.class).getIfUnique(Clock::systemUTC);

        converter = new ApiKeyAuthenticationConverter(keyFormat(verifyingService, context), settings.getHeaderName());
        entryPoint = new ApiKeyAuthenticationEntryPoint(settings, clock);
        accessDeniedHandler = new ApiKeyAccessDeniedHandler(settings);
        accessDeniedHandler.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
        refuseOtherBearerTokens = !hasResourceServer(http);

        CsrfConfigurer<H> csrf = http.getConfigurer(CsrfConfigurer.class);
        if (csrf != null) {
            csrf.ignoringRequestMatchers(this::carriesBearerCredential);
        }
        registerExceptionHandlingAfterEveryOtherMechanism(http);
    }

    @Override
    public void configure(H http) {
        ProviderManager authenticationManager = new ProviderManager(new ApiKeyAuthenticationProvider(verifyingService));
        authenticationManager.setAuthenticationEventPublisher(eventPublisher(http));
        ApiKeyAuthenticationFilter filter =
                new ApiKeyAuthenticationFilter(authenticationManager, converter, entryPoint);
        filter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
        filter.setRefuseOtherBearerTokens(refuseOtherBearerTokens);
        filter.setExpiryWarning(effectiveExpiryWarning);
        filter.setClock(clock);
        http.addFilterBefore(postProcess(filter), AuthorizationFilter.class);
    }

    private static ApiKeyService requiredService(ApplicationContext context) {
        if (context == null) {
            throw new IllegalStateException("No ApiKeyService: pass one with apiKeys().apiKeyService(...)");
        }
        return context.getBean(ApiKeyService.class);
    }

    /** Never the service's format right now: the service may be a test's mock, which answers {@code null}. */
    private Supplier<ApiKeyFormat> keyFormat(ApiKeyService service, ApplicationContext context) {
        if (format != null) {
            ApiKeyFormat chosen = format;
            return () -> chosen;
        }
        ObjectProvider<ApiKeyFormat> formats = context == null ? null : context.getBeanProvider(ApiKeyFormat.class);
        return new ServiceKeyFormat(() -> service, () -> formats == null ? null : formats.getIfUnique());
    }

    private AuthenticationEventPublisher eventPublisher(H http) {
        if (authenticationEventPublisher != null) {
            return authenticationEventPublisher;
        }
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        AuthenticationEventPublisher bean = context == null ? null
                : context.getBeanProvider(AuthenticationEventPublisher.class).getIfUnique();
        // As HttpSecurity's own authentication manager does: the post-processor hands it the event publisher.
        return bean != null ? bean : postProcess(new DefaultAuthenticationEventPublisher());
    }

    /** A key, or a bearer token that this chain will refuse as one: either way a credential CSRF does not guard. */
    private boolean carriesBearerCredential(HttpServletRequest request) {
        return converter.carriesKey(request)
                || (refuseOtherBearerTokens && converter.otherBearerToken(request) != null);
    }

    private static <B extends HttpSecurityBuilder<B>> boolean hasResourceServer(B http) {
        return RESOURCE_SERVER_PRESENT && ResourceServer.isConfigured(http);
    }

    /**
     * Spring Security's {@code ExceptionHandlingConfigurer} picks the first registered entry point whose matcher
     * matches, else the first registered one, and configurers register in the order of the DSL calls. Registering
     * from a configurer added while the chain initializes puts API keys last whatever that order, so the other
     * mechanisms keep the requests they claim and API keys answer alone only where they are alone.
     */
    @SuppressWarnings("unchecked")
    private void registerExceptionHandlingAfterEveryOtherMechanism(H http) {
        ExceptionHandlingDefaults<H> defaults = new ExceptionHandlingDefaults<>(entryPoint, accessDeniedHandler,
                converter);
        if (http instanceof AbstractConfiguredSecurityBuilder<?, ?> builder) {
            ((AbstractConfiguredSecurityBuilder<DefaultSecurityFilterChain, H>) builder)
                    .with(defaults, Customizer.withDefaults());
        } else {
            defaults.init(http);
        }
    }

    /** Registers the key entry point and access-denied handler once every other configurer has registered its own. */
    private static final class ExceptionHandlingDefaults<H extends HttpSecurityBuilder<H>>
            extends AbstractHttpConfigurer<ExceptionHandlingDefaults<H>, H> {

        private final ApiKeyAuthenticationEntryPoint entryPoint;
        private final ApiKeyAccessDeniedHandler accessDeniedHandler;
        private final ApiKeyAuthenticationConverter converter;

        ExceptionHandlingDefaults(ApiKeyAuthenticationEntryPoint entryPoint,
                                  ApiKeyAccessDeniedHandler accessDeniedHandler,
                                  ApiKeyAuthenticationConverter converter) {
            this.entryPoint = entryPoint;
            this.accessDeniedHandler = accessDeniedHandler;
            this.converter = converter;
        }

        @Override
        public void init(H http) {
            ExceptionHandlingConfigurer<H> exceptionHandling = http.getConfigurer(ExceptionHandlingConfigurer.class);
            if (exceptionHandling == null) {
                return;
            }
            // Alone, ours is the chain's only entry point and answers every request; after others, only those that
            // carry a key (the key filter answers its own refusals, so these are rare).
            exceptionHandling.defaultAuthenticationEntryPointFor(entryPoint, converter::carriesKey);
            // Every denial reaches ours unless an earlier mechanism claimed the request (a resource server claims its
            // bearer tokens); ours answers key denials and hands the rest to Spring Security's handler.
            exceptionHandling.defaultAccessDeniedHandlerFor(accessDeniedHandler, request -> true);
        }
    }

    /** Kept apart so that {@code OAuth2ResourceServerConfigurer} is only loaded when the resource server is there. */
    private static final class ResourceServer {

        @SuppressWarnings({"rawtypes", "unchecked"})
        static <B extends HttpSecurityBuilder<B>> boolean isConfigured(B http) {
            return http.getConfigurer((Class) OAuth2ResourceServerConfigurer.class) != null;
        }
    }
}
