package io.github.apikey.test;

/**
 * MockMvc request post-processors for API keys, as Spring Security's {@code SecurityMockMvcRequestPostProcessors}
 * are for users and JWTs. Import statically:
 *
 * <pre>{@code
 * mockMvc.perform(get("/reports").with(apiKey().scopes("reports:read")))
 * }</pre>
 */
public final class ApiKeyRequestPostProcessors {

    private ApiKeyRequestPostProcessors() {
    }

    /**
     * A request that presents an active key, named {@code test-key}, with key id {@code 0123456789abcdef}, no scopes
     * and no expiry; change any of these on the returned post-processor.
     */
    public static ApiKeyRequestPostProcessor apiKey() {
        return new ApiKeyRequestPostProcessor();
    }
}
