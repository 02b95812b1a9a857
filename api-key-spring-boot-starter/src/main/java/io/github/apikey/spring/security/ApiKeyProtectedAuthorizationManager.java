package io.github.apikey.spring.security;

import java.lang.reflect.Method;
import java.util.List;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;

/**
 * Decides {@link ApiKeyProtected}: the caller must be authenticated by an API key that holds every listed scope.
 * The method's annotation wins over its class's.
 */
public final class ApiKeyProtectedAuthorizationManager implements AuthorizationManager<MethodInvocation> {

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
                                         MethodInvocation invocation) {
        ApiKeyProtected rule = findRule(invocation);
        if (rule == null) {
            return null;
        }
        return ApiKeyAuthorizations.decide(authentication.get(), List.of(rule.scopes()));
    }

    private static ApiKeyProtected findRule(MethodInvocation invocation) {
        Object target = invocation.getThis();
        Class<?> targetClass = target == null ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(target);
        Method method = AopUtils.getMostSpecificMethod(invocation.getMethod(), targetClass);
        ApiKeyProtected onMethod = AnnotatedElementUtils.findMergedAnnotation(method, ApiKeyProtected.class);
        return onMethod != null ? onMethod : AnnotatedElementUtils.findMergedAnnotation(targetClass,
                ApiKeyProtected.class);
    }
}
