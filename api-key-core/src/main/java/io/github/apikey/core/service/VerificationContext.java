package io.github.apikey.core.service;

import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * What a verification knows besides the presented key: the scopes the caller requires, and where the request came
 * from, for keys restricted to IP ranges or web origins. A key with such a restriction is refused when the
 * corresponding value is unknown.
 *
 * @param requiredScopes scopes the key must all hold; may be empty
 * @param clientAddress  the client's IP address literal, as the application resolved it (behind a proxy, from its
 *                       forwarded headers if it trusts them), or {@code null} if unknown; parsed only for keys
 *                       restricted to IP ranges, and never looked up in DNS
 * @param origin         the request's {@code Origin} header, or {@code null} if it has none
 */
public record VerificationContext(Collection<String> requiredScopes, String clientAddress, String origin) {

    /** No required scopes, no client information. */
    public static final VerificationContext NONE = new VerificationContext(Set.of(), null, null);

    public VerificationContext {
        requiredScopes = requiredScopes == null ? Set.of() : requiredScopes;
    }

    /** Requires {@code scopes}, with no client information. */
    public static VerificationContext requiring(Collection<String> scopes) {
        return new VerificationContext(scopes, null, null);
    }

    /** With the client's IP address literal, such as {@code HttpServletRequest.getRemoteAddr()} gives. */
    public VerificationContext withClientAddress(String clientAddress) {
        return new VerificationContext(requiredScopes, clientAddress, origin);
    }

    public VerificationContext withClientAddress(InetAddress clientAddress) {
        return withClientAddress(clientAddress == null ? null : clientAddress.getHostAddress());
    }

    public VerificationContext withOrigin(String origin) {
        return new VerificationContext(requiredScopes, clientAddress, origin);
    }

    public VerificationContext withRequiredScopes(Collection<String> scopes) {
        return new VerificationContext(scopes == null ? List.of() : scopes, clientAddress, origin);
    }
}
