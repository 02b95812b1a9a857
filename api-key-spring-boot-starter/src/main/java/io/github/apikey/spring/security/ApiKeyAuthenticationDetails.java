package io.github.apikey.spring.security;

import io.github.apikey.core.service.VerificationContext;

import jakarta.servlet.http.HttpServletRequest;

import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.security.web.authentication.WebAuthenticationDetails;

/**
 * Where a request that presents a key comes from, as its authentication request's details: what Spring Security's
 * {@link WebAuthenticationDetails} holds (and listeners of authentication events read), plus what a key restricted to
 * IP ranges or web origins is checked against.
 *
 * <p>The client address is {@link HttpServletRequest#getRemoteAddr()}, an address literal that the service parses
 * (never with a DNS lookup) only for keys restricted to IP ranges; one that is no literal counts as unknown. Behind a
 * proxy it is the proxy's address unless the application trusts forwarded headers
 * ({@code server.forward-headers-strategy=native} or {@code framework}), which rewrite it: a raw
 * {@code X-Forwarded-For} is never read here, since any client can send one. The origin is the {@code Origin}
 * header; a request with several is treated as having none, so a key restricted to origins refuses it.
 */
public class ApiKeyAuthenticationDetails extends WebAuthenticationDetails {

    private static final long serialVersionUID = 1L;

    private final String clientAddress;
    private final String origin;

    public ApiKeyAuthenticationDetails(HttpServletRequest request) {
        super(request);
        this.clientAddress = request.getRemoteAddr();
        this.origin = singleOrigin(request);
    }

    private static String singleOrigin(HttpServletRequest request) {
        List<String> origins = Collections.list(request.getHeaders(HttpHeaders.ORIGIN));
        return origins.size() == 1 ? origins.get(0) : null;
    }

    /** The client's address as the request gives it: an IP address literal, or {@code null} if it has none. */
    public String getClientAddress() {
        return clientAddress;
    }

    /** The request's {@code Origin} header, or {@code null} if it has none (or several). */
    public String getOrigin() {
        return origin;
    }

    /** What a verification of the presented key needs to know about the request; no required scopes. */
    public VerificationContext toVerificationContext() {
        return new VerificationContext(Set.of(), clientAddress, origin);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ApiKeyAuthenticationDetails that && super.equals(that)
                && Objects.equals(clientAddress, that.clientAddress) && Objects.equals(origin, that.origin);
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), clientAddress, origin);
    }

    @Override
    public String toString() {
        return "ApiKeyAuthenticationDetails[remoteAddress=" + getRemoteAddress() + ", origin=" + origin + "]";
    }
}
