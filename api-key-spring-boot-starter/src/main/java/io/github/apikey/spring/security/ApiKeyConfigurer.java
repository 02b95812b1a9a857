package io.github.apikey.spring.security;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.spring.autoconfigure.ApiKeyProperties;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.HttpSecurityBuilder;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.web.access.intercept.AuthorizationFilter;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Adds API key authentication to a {@code SecurityFilterChain}:
 *
 * <pre>{@code
 * http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
 *     .with(apiKeys(), withDefaults());
 * }</pre>
 *
 * It registers the key filter before authorization, the key entry point and access-denied handler as the chain's
 * defaults, and exempts key-carrying requests from CSRF protection, which guards
 * cookies, not bearer credentials. Other authentication in the same chain (HTTP Basic, form login, JWT) keeps
 * working: bearer tokens without the key prefix are not touched.
 */
public final class ApiKeyConfigurer<H extends HttpSecurityBuilder<H>>
        extends AbstractHttpConfigurer<ApiKeyConfigurer<H>, H> {

    private ApiKeyService apiKeyService;
    private String headerName;
    private String realm;
    private ApiKeyAuthenticationConverter converter;
    private ApiKeyAuthenticationEntryPoint entryPoint;
    private ApiKeyAccessDeniedHandler accessDeniedHandler;

    /** The DSL entry point: {@code http.with(apiKeys(), withDefaults())}. */
    public static ApiKeyConfigurer<org.springframework.security.config.annotation.web.builders.HttpSecurity> apiKeys() {
        return new ApiKeyConfigurer<>();
    }

    /** The service that verifies keys; by default the application's {@link ApiKeyService} bean. */
    public ApiKeyConfigurer<H> apiKeyService(ApiKeyService apiKeyService) {
        this.apiKeyService = apiKeyService;
        return this;
    }

    /** Also reads keys from this header, for example {@code X-API-Key}; by default {@code api-key.security.header-name}. */
    public ApiKeyConfigurer<H> headerName(String headerName) {
        this.headerName = headerName;
        return this;
    }

    /** The realm of {@code WWW-Authenticate} challenges; by default {@code api-key.security.realm}. */
    public ApiKeyConfigurer<H> realm(String realm) {
        this.realm = realm;
        return this;
    }

    @Override
    public void init(H http) {
        ApplicationContext context = http.getSharedObject(ApplicationContext.class);
        ApiKeyProperties properties = context == null ? new ApiKeyProperties()
                : context.getBeanProvider(ApiKeyProperties.class).getIfAvailable(ApiKeyProperties::new);
        if (apiKeyService == null) {
            if (context == null) {
                throw new IllegalStateException("No ApiKeyService: pass one with apiKeys().apiKeyService(...)");
            }
            apiKeyService = context.getBean(ApiKeyService.class);
        }
        String resolvedHeader = headerName != null ? headerName : properties.getSecurity().getHeaderName();
        String resolvedRealm = realm != null ? realm : properties.getSecurity().getRealm();
        converter = new ApiKeyAuthenticationConverter(apiKeyService.getFormat(), resolvedHeader);
        entryPoint = new ApiKeyAuthenticationEntryPoint(resolvedRealm);
        accessDeniedHandler = new ApiKeyAccessDeniedHandler(resolvedRealm);
        accessDeniedHandler.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());

        RequestMatcher carriesKey = this::carriesKey;
        ExceptionHandlingConfigurer<H> exceptionHandling = http.getConfigurer(ExceptionHandlingConfigurer.class);
        if (exceptionHandling != null) {
            exceptionHandling.defaultAuthenticationEntryPointFor(entryPoint, request -> true);
            exceptionHandling.defaultAccessDeniedHandlerFor(accessDeniedHandler, request -> true);
        }
        CsrfConfigurer<H> csrf = http.getConfigurer(CsrfConfigurer.class);
        if (csrf != null) {
            csrf.ignoringRequestMatchers(carriesKey);
        }
    }

    @Override
    public void configure(H http) {
        ProviderManager authenticationManager = new ProviderManager(new ApiKeyAuthenticationProvider(apiKeyService));
        ApiKeyAuthenticationFilter filter = new ApiKeyAuthenticationFilter(authenticationManager, converter, entryPoint);
        filter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
        http.addFilterBefore(postProcess(filter), AuthorizationFilter.class);
    }

    private boolean carriesKey(HttpServletRequest request) {
        return converter.carriesKey(request);
    }
}
