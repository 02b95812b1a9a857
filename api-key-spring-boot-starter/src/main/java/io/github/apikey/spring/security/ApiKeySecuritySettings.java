package io.github.apikey.spring.security;

/**
 * Where API keys may be presented besides {@code Authorization: Bearer}, and the realm that challenges name. Every
 * {@code apiKeys()} in the application takes these unless it sets its own; the auto-configuration defines them from
 * {@code api-key.security.*}.
 */
public final class ApiKeySecuritySettings {

    /** No dedicated header; realm {@code api}. */
    public static final ApiKeySecuritySettings DEFAULTS = new ApiKeySecuritySettings(null, "api");

    private final String headerName;
    private final String realm;

    /**
     * @param headerName a header that carries only API keys, for example {@code X-API-Key}; {@code null} or blank
     *                   for none
     * @param realm      the realm of {@code WWW-Authenticate} challenges
     */
    public ApiKeySecuritySettings(String headerName, String realm) {
        this.headerName = headerName == null || headerName.isBlank() ? null : headerName.strip();
        this.realm = realm == null || realm.isBlank() ? "api" : realm;
    }

    /** The dedicated header, or {@code null} when keys are read from {@code Authorization: Bearer} only. */
    public String getHeaderName() {
        return headerName;
    }

    public String getRealm() {
        return realm;
    }

    @Override
    public String toString() {
        return "ApiKeySecuritySettings[headerName=" + headerName + ", realm=" + realm + "]";
    }
}
