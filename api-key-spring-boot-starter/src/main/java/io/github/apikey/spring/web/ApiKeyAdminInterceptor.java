package io.github.apikey.spring.web;

import io.github.apikey.spring.security.ApiKeyAuthorizations;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.util.List;

import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;

/**
 * Requires the admin scope on every management route, whatever the application's security chain says about the
 * path, so that a broad {@code permitAll()} cannot open the management API by accident.
 */
final class ApiKeyAdminInterceptor implements HandlerInterceptor {

    private final List<String> adminScope;

    ApiKeyAdminInterceptor(String adminScope) {
        this.adminScope = List.of(adminScope);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
        if (handler instanceof HandlerMethod method && ApiKeyController.class.isAssignableFrom(method.getBeanType())) {
            ApiKeyAuthorizations.requireScopes(
                    SecurityContextHolder.getContextHolderStrategy().getContext().getAuthentication(), adminScope);
        }
        return true;
    }
}
