package io.github.apikey.spring.security;

import java.time.Duration;
import java.util.Objects;

/**
 * Where API keys may be presented besides {@code Authorization: Bearer}, the realm that challenges name, and how long
 * before its expiry a key is answered with the {@code Sunset} header. Every {@code apiKeys()} in the application takes
 * these unless it sets its own; the auto-configuration defines them from {@code api-key.security.*} and
 * {@code api-key.expiry-warning}.
 */
public final class ApiKeySecuritySettings {

    /** How long before its expiry a key is warned of it by default. */
    public static final Duration DEFAULT_EXPIRY_WARNING = Duration.ofDays(7);

    /** No dedicated header; realm {@code api}; expiry warnings from seven days before. */
    public static final ApiKeySecuritySettings DEFAULTS = new ApiKeySecuritySettings(null, "api");

    private final String headerName;
    private final String realm;
    private final Duration expiryWarning;

    /**
     * Settings with the default expiry warning.
     *
     * @param headerName a header that carries only API keys, for example {@code X-API-Key}; {@code null} or blank
     *                   for none
     * @param realm      the realm of {@code WWW-Authenticate} challenges
     */
    public ApiKeySecuritySettings(String headerName, String realm) {
        this(headerName, realm, DEFAULT_EXPIRY_WARNING);
    }

    /**
     * @param headerName    a header that carries only API keys, for example {@code X-API-Key}; {@code null} or blank
     *                      for none
     * @param realm         the realm of {@code WWW-Authenticate} challenges
     * @param expiryWarning how long before its expiry a key gets the {@code Sunset} header; zero for never
     */
    public ApiKeySecuritySettings(String headerName, String realm, Duration expiryWarning) {
        this.headerName = headerName == null || headerName.isBlank() ? null : headerName.strip();
        this.realm = realm == null || realm.isBlank() ? "api" : realm;
        Objects.requireNonNull(expiryWarning, "expiryWarning");
        if (expiryWarning.isNegative()) {
            throw new IllegalArgumentException("expiryWarning must not be negative, was " + expiryWarning);
        }
        this.expiryWarning = expiryWarning;
    }

    /** The dedicated header, or {@code null} when keys are read from {@code Authorization: Bearer} only. */
    public String getHeaderName() {
        return headerName;
    }

    public String getRealm() {
        return realm;
    }

    /** How long before its expiry a key gets the {@code Sunset} header; zero for never. */
    public Duration getExpiryWarning() {
        return expiryWarning;
    }

    @Override
    public String toString() {
        return "ApiKeySecuritySettings[headerName=" + headerName + ", realm=" + realm + ", expiryWarning="
                + expiryWarning + "]";
    }
}
