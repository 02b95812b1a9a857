package io.github.apikey.spring.web;

import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Registers the admin-scope check of the management API. */
public final class ApiKeyManagementWebMvcConfigurer implements WebMvcConfigurer {

    private final String adminScope;

    public ApiKeyManagementWebMvcConfigurer(String adminScope) {
        this.adminScope = adminScope;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(new ApiKeyAdminInterceptor(adminScope));
    }
}
