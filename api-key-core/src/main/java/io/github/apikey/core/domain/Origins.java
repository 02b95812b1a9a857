package io.github.apikey.core.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * Web origins as browsers send them in the {@code Origin} header: {@code scheme://host[:port]}, compared in their
 * serialized form (RFC 6454): lowercase scheme and host, no default port, no path.
 */
public final class Origins {

    private Origins() {
    }

    /**
     * The serialized form of {@code origin}, or {@code null} if it is not an http or https origin (a path, query,
     * user info or the opaque {@code null} origin make it none).
     */
    public static String normalize(String origin) {
        if (origin == null || origin.isEmpty() || origin.length() > 2048) {
            return null;
        }
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException malformed) {
            return null;
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return null;
        }
        String host = uri.getHost();
        if (host == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null
                || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())) {
            return null;
        }
        int port = uri.getPort();
        boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80) || ("https".equals(scheme)
                && port == 443);
        return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port);
    }
}
