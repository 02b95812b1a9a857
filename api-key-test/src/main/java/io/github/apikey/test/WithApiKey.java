package io.github.apikey.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;
import org.springframework.security.test.context.support.TestExecutionEvent;
import org.springframework.security.test.context.support.WithSecurityContext;

/**
 * Runs a test method (or every test method of a class) as if its requests had presented an API key with these
 * attributes, as {@code @WithMockUser} does for a user: the test's security context holds what the starter's filter
 * produces after verifying such a key, an authenticated {@code ApiKeyAuthenticationToken} with the key's
 * {@code ApiKeyPrincipal} and one {@code SCOPE_<scope>} authority per scope. Nothing is stored and nothing is hashed.
 *
 * <p>With MockMvc (Spring Boot's {@code @AutoConfigureMockMvc} and {@code @WebMvcTest} apply Spring Security's test
 * support), every request of the test carries that key; called directly, methods secured with
 * {@code @PreAuthorize} see it too. An inactive or expired key is refused by the starter's filter as verification
 * refuses it. As with {@link ApiKeyRequestPostProcessor}, verification itself does not run: no rate limit, credit, IP
 * or origin restriction applies, and the authentication has no request details.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
@WithSecurityContext(factory = WithApiKeySecurityContextFactory.class)
public @interface WithApiKey {

    /** The key's scopes; an alias of {@link #scopes()}. */
    @AliasFor("scopes")
    String[] value() default {};

    /** The key's scopes; none by default. */
    @AliasFor("value")
    String[] scopes() default {};

    /** The key's name. */
    String name() default TestKeyAttributes.DEFAULT_NAME;

    /** The key id, the public part of the key that logs and audit events name. */
    String keyId() default TestKeyAttributes.DEFAULT_KEY_ID;

    /** The key's id, a UUID; by default one derived from {@link #keyId()}. */
    String id() default "";

    /** Who the key belongs to (a user or tenant id); empty for none. */
    String ownerId() default "";

    /** Whether the key is active; an inactive key is refused with {@code 403 API key inactive}. */
    boolean active() default true;

    /**
     * When the key expires, as an ISO-8601 instant such as {@code 2030-01-01T00:00:00Z}; empty for never. A time
     * that has passed makes the starter's filter refuse the key with {@code 403 API key expired}.
     */
    String expiresAt() default "";

    /**
     * When the security context is set up: before the test method by default, or before the test's execution
     * after {@code @BeforeEach} methods ran ({@link TestExecutionEvent#TEST_EXECUTION}).
     */
    @AliasFor(annotation = WithSecurityContext.class)
    TestExecutionEvent setupBefore() default TestExecutionEvent.TEST_METHOD;
}
