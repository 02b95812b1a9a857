package io.github.apikey.spring.security;

import org.springframework.core.MethodParameter;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives controller parameters of type {@link ApiKeyPrincipal} the key that authenticated the request, or
 * {@code null} when it was not authenticated by a key.
 */
public final class ApiKeyPrincipalArgumentResolver implements HandlerMethodArgumentResolver {

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return ApiKeyPrincipal.class.equals(parameter.getParameterType())
                && !parameter.hasParameterAnnotation(AuthenticationPrincipal.class);
    }

    @Override
    public ApiKeyPrincipal resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                           NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
        Authentication authentication = SecurityContextHolder.getContextHolderStrategy().getContext()
                .getAuthentication();
        return authentication instanceof ApiKeyAuthenticationToken token ? token.getPrincipal() : null;
    }
}
