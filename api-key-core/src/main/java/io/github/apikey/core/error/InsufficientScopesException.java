package io.github.apikey.core.error;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The key's secret matched and it is usable, but it lacks some of the scopes the caller requires.
 */
public final class InsufficientScopesException extends ApiKeyAuthenticationException {

    private final List<String> missingScopes;

    public InsufficientScopesException(List<String> missingScopes) {
        super(ApiKeyErrorCode.INSUFFICIENT_SCOPE, messageFor(missingScopes));
        // Not List.copyOf: a caller may have required a null scope, which no key holds.
        this.missingScopes = Collections.unmodifiableList(new ArrayList<>(missingScopes));
    }

    /** Scopes that were required but not held, in the order they were required. */
    public List<String> getMissingScopes() {
        return missingScopes;
    }

    private static String messageFor(List<String> missingScopes) {
        return missingScopes.stream()
                .map(scope -> "'" + scope + "'")
                .collect(Collectors.joining(", ", "API key missing required scopes ", ""));
    }
}
