package io.github.apikey.spring.security;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client address that IP restrictions check is the one the application resolves, over a real server and
 * socket: the peer's address unless the application trusts forwarded headers ({@code server.forward-headers-strategy}),
 * so that a client cannot pick its address by sending {@code X-Forwarded-For} itself.
 */
class ForwardedHeadersTests {

    private static final String PROXIED_CLIENTS = "203.0.113.0/24";

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void withoutForwardedHeadersTheirAddressIsIgnoredAndThePeerCounts() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            String proxiedOnly = key(app, PROXIED_CLIENTS);
            String localOnly = key(app, "127.0.0.1/32");

            assertThat(status(app, proxiedOnly, "203.0.113.7")).isEqualTo(403);
            assertThat(status(app, localOnly, "203.0.113.7")).isEqualTo(200);
        }
    }

    @Test
    void theFrameworkStrategyHonoursXForwardedFor() throws Exception {
        try (ConfigurableApplicationContext app = start("server.forward-headers-strategy=framework")) {
            String proxiedOnly = key(app, PROXIED_CLIENTS);
            String localOnly = key(app, "127.0.0.1/32");

            assertThat(status(app, proxiedOnly, "203.0.113.7")).isEqualTo(200);
            assertThat(status(app, proxiedOnly, "198.51.100.7")).isEqualTo(403);
            assertThat(status(app, proxiedOnly, null)).isEqualTo(403);
            assertThat(status(app, localOnly, "203.0.113.7")).isEqualTo(403);
        }
    }

    /** Tomcat's RemoteIpValve trusts only internal proxies (loopback and private ranges by default), right to left. */
    @Test
    void theNativeStrategyHonoursXForwardedForFromTrustedProxies() throws Exception {
        try (ConfigurableApplicationContext app = start("server.forward-headers-strategy=native")) {
            String proxiedOnly = key(app, PROXIED_CLIENTS);

            assertThat(status(app, proxiedOnly, "203.0.113.7")).isEqualTo(200);
            assertThat(status(app, proxiedOnly, "203.0.113.7, 10.0.0.1")).isEqualTo(200);
            assertThat(status(app, proxiedOnly, "203.0.113.7, 198.51.100.7")).isEqualTo(403);
            assertThat(status(app, proxiedOnly, null)).isEqualTo(403);
        }
    }

    @Test
    void theSunsetHeaderIsAnHttpDateOnTheWire() throws Exception {
        try (ConfigurableApplicationContext app = start()) {
            Instant expiresAt = Instant.parse("2026-06-03T08:30:15.500Z");
            String expiring = app.getBean(ApiKeyService.class).create(NewApiKey.named("expiring")
                    .withExpiresAt(expiresAt)).plaintext();

            HttpResponse<String> answer = get(app, expiring, null);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.headers().allValues("Sunset")).containsExactly("Wed, 03 Jun 2026 08:30:15 GMT");
        }
    }

    private String key(ConfigurableApplicationContext app, String allowedIps) {
        return app.getBean(ApiKeyService.class).create(NewApiKey.named("restricted")
                .withAllowedIps(List.of(allowedIps))).plaintext();
    }

    private int status(ConfigurableApplicationContext app, String key, String forwardedFor) throws Exception {
        HttpResponse<String> answer = get(app, key, forwardedFor);
        if (answer.statusCode() == 403) {
            assertThat(answer.body()).contains("urn:api-key:problem:address-not-allowed").doesNotContain("203.0.113");
        }
        return answer.statusCode();
    }

    private HttpResponse<String> get(ConfigurableApplicationContext app, String key, String forwardedFor)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + app.getEnvironment().getProperty("local.server.port") + "/hello"))
                .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10));
        if (forwardedFor != null) {
            request.header("X-Forwarded-For", forwardedFor);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The clock of {@link SecuredApplication} stands at 2026-06-01T00:00:00Z. */
    private static ConfigurableApplicationContext start(String... extra) {
        List<String> properties = new ArrayList<>(List.of("api-key.pepper=forwarded-headers-pepper-0123456789",
                "api-key.hasher.type=hmac-sha256", "server.port=0", "spring.datasource.generate-unique-name=true",
                "spring.main.banner-mode=off"));
        properties.addAll(List.of(extra));
        return new SpringApplicationBuilder(SecuredApplication.class).web(WebApplicationType.SERVLET)
                .properties(properties.toArray(String[]::new)).run();
    }
}
