package io.github.apikey.spring.security;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Requires a valid API key holding every listed scope. On a class, it applies to each public method; on a method,
 * it takes the place of the class's annotation. Enforced on Spring beans (controllers included) by the starter,
 * with no {@code @EnableMethodSecurity} needed.
 *
 * <pre>{@code
 * @GetMapping("/reports")
 * @ApiKeyProtected(scopes = "reports:read")
 * List<Report> reports(ApiKeyPrincipal caller) { ... }
 * }</pre>
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface ApiKeyProtected {

    /** Scopes the key must all hold; none means any valid key. */
    String[] scopes() default {};
}
