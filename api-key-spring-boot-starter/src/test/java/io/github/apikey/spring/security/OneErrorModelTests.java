package io.github.apikey.spring.security;

import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * A refused key gets the same problem whether the security filter refuses it or the management API's
 * {@code /verify} reports it: both come from one mapping of error codes.
 */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=error-model-test-pepper-01234567",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class OneErrorModelTests {

    private static final JsonMapper JSON = JsonMapper.shared();

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    MutableClock clock;

    @Test
    void theFilterAndTheManagementApiAnswerEachRefusalWithTheSameProblem() throws Exception {
        String admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
        ApiKeyFormat format = new ApiKeyFormat();
        String reader = service.create(NewApiKey.named("reader").withScopes(List.of("read"))).plaintext();
        var inactive = service.create(NewApiKey.named("inactive"));
        service.deactivate(inactive.apiKey().getId());
        String expired = service.create(NewApiKey.named("expired").withExpiresAt(clock.instant().plusSeconds(60)))
                .plaintext();
        clock.advance(Duration.ofMinutes(2));
        String unknown = format.format(format.newKeyId(), format.newSecret());

        assertSameProblem(get("/hello"), verify(admin, null, List.of()));
        assertSameProblem(withKey(get("/hello"), unknown), verify(admin, unknown, List.of()));
        assertSameProblem(withKey(get("/hello"), inactive.plaintext()),
                verify(admin, inactive.plaintext(), List.of()));
        assertSameProblem(withKey(get("/hello"), expired), verify(admin, expired, List.of()));
        assertSameProblem(withKey(get("/annotated/read-write"), reader),
                verify(admin, reader, List.of("read", "write")));
    }

    /**
     * The checked request's address and origin go in the body of {@code /verify}; the address and origin of the
     * {@code /verify} call itself, set here to ones the key allows, must not count.
     */
    @Test
    void restrictedAndExhaustedKeysGetTheSameProblemFromTheFilterAndFromVerify() throws Exception {
        String admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
        String officeOnly = service.create(NewApiKey.named("office").withAllowedIps(List.of("203.0.113.0/24")))
                .plaintext();
        String appOnly = service.create(NewApiKey.named("app")
                .withAllowedOrigins(List.of("https://app.example.com"))).plaintext();
        String exhausted = service.create(NewApiKey.named("exhausted")
                .withCredits(0L, new CreditRefill(10, CreditRefill.Interval.DAILY))).plaintext();

        assertThat(assertSameProblem(withKey(get("/hello"), officeOnly).with(from("198.51.100.7")),
                verify(admin, officeOnly, List.of(), Map.of("clientAddress", "198.51.100.7"))
                        .with(from("203.0.113.9"))).getContentAsString())
                .contains("\"status\":403", "urn:api-key:problem:address-not-allowed");
        assertThat(assertSameProblem(withKey(get("/hello"), appOnly).header(HttpHeaders.ORIGIN, "https://evil.example"),
                verify(admin, appOnly, List.of(), Map.of("origin", "https://evil.example"))
                        .header(HttpHeaders.ORIGIN, "https://app.example.com")).getContentAsString())
                .contains("\"status\":403", "urn:api-key:problem:origin-not-allowed");
        var filter = mvc.perform(withKey(get("/hello"), exhausted)).andReturn().getResponse();
        var management = mvc.perform(verify(admin, exhausted, List.of())).andReturn().getResponse();
        assertSameProblem(filter, management);
        assertThat(filter.getStatus()).isEqualTo(429);
        Instant nextRefill = clock.instant().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofDays(1));
        assertThat(filter.getHeader(HttpHeaders.RETRY_AFTER)).isEqualTo(management.getHeader(HttpHeaders.RETRY_AFTER))
                .isEqualTo(String.valueOf(Duration.between(clock.instant(), nextRefill).toSeconds()));
    }

    private static RequestPostProcessor from(String address) {
        return request -> {
            request.setRemoteAddr(address);
            return request;
        };
    }

    /** @return the filter's answer */
    private MockHttpServletResponse assertSameProblem(MockHttpServletRequestBuilder refusedByFilter,
                                                      MockHttpServletRequestBuilder reportedByVerify)
            throws Exception {
        MockHttpServletResponse filter = mvc.perform(refusedByFilter).andReturn().getResponse();
        assertSameProblem(filter, mvc.perform(reportedByVerify).andReturn().getResponse());
        return filter;
    }

    private static void assertSameProblem(MockHttpServletResponse filter, MockHttpServletResponse management)
            throws Exception {
        assertThat(filter.getStatus()).isEqualTo(management.getStatus());
        // The very same header, not merely compatible ones: a charset parameter on one side only was a difference.
        assertThat(filter.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(management.getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(management.getHeader(HttpHeaders.WWW_AUTHENTICATE) != null)
                .as("a challenge on both sides or on neither").isEqualTo(filter.getStatus() == 401);
        Map<String, Object> filterProblem = withoutInstance(filter.getContentAsString());
        Map<String, Object> managementProblem = withoutInstance(management.getContentAsString());
        assertThat(filterProblem).isEqualTo(managementProblem);
        assertThat(filterProblem.get("type")).asString().startsWith("urn:api-key:problem:");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> withoutInstance(String json) {
        Map<String, Object> problem = JSON.readValue(json, Map.class);
        problem.remove("instance");
        return problem;
    }

    private static MockHttpServletRequestBuilder withKey(MockHttpServletRequestBuilder request, String key) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }

    private static MockHttpServletRequestBuilder verify(String admin, String key, List<String> requiredScopes) {
        return verify(admin, key, requiredScopes, Map.of());
    }

    private static MockHttpServletRequestBuilder verify(String admin, String key, List<String> requiredScopes,
                                                        Map<String, String> checkedRequest) {
        Map<String, Object> body = new HashMap<>(checkedRequest);
        body.put("requiredScopes", requiredScopes);
        if (key != null) {
            body.put("apiKey", key);
        }
        return withKey(post("/api-keys/verify"), admin).contentType(MediaType.APPLICATION_JSON)
                .content(JSON.writeValueAsString(body));
    }
}
