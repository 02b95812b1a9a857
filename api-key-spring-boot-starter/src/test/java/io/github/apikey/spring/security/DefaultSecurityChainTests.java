package io.github.apikey.spring.security;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.security.app.SecuredApplication;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The starter's default chain in a full application, over MockMvc. */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=security-test-pepper-0123456789a",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class DefaultSecurityChainTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    MutableClock clock;

    @Autowired
    ApplicationContext context;

    @Test
    void theDefaultChainIsTheStartersOwn() {
        assertThat(context.containsBean("apiKeySecurityFilterChain")).isTrue();
    }

    @Test
    void noKeyIs401ApiKeyMissingWithABareChallenge() throws Exception {
        problem(mvc.perform(get("/hello")), 401, "API key missing")
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\""));
    }

    @Test
    void aBearerTokenThatIsNoKeyIsAnInvalidCredentialSinceNothingElseHereTakesBearerTokens() throws Exception {
        String foreign = "eyJhbGciOiJIUzI1NiJ9.e30.x";
        MvcResult result = problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + foreign)),
                401, "API key invalid")
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"API key invalid\""))
                .andReturn();
        assertNotEchoed(result, foreign);
    }

    @Test
    void malformedUnknownAndWrongSecretKeysAre401ApiKeyInvalid() throws Exception {
        String valid = service.create(NewApiKey.named("k")).plaintext();
        ApiKeyFormat format = new ApiKeyFormat();
        String keyId = format.parse(valid).keyId();
        List<String> refused = List.of(
                "ak_v1-not-a-key",
                format.format(format.newKeyId(), format.newSecret()),
                format.format(keyId, format.newSecret()));
        for (String key : refused) {
            MvcResult result = problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)),
                    401, "API key invalid")
                    .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                            "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"API key invalid\""))
                    .andReturn();
            assertNotEchoed(result, key);
        }
    }

    @Test
    void aValidKeyReachesTheControllerWhichReceivesThePrincipal() throws Exception {
        String key = service.create(NewApiKey.named("reader").withScopes(List.of("read"))).plaintext();

        MvcResult result = mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("reader"))
                .andExpect(jsonPath("$.scopes[0]").value("read"))
                .andReturn();
        mvc.perform(get("/principal").header(HttpHeaders.AUTHORIZATION, "bearer " + key))
                .andExpect(status().isOk())
                .andExpect(content().string(new ApiKeyFormat().parse(key).keyId()));

        assertThat(result.getResponse().getHeader(HttpHeaders.SET_COOKIE)).isNull();
        assertThat(result.getRequest().getSession(false)).isNull();
    }

    @Test
    void anInactiveKeyIs403OnlyWithTheRightSecret() throws Exception {
        var created = service.create(NewApiKey.named("k"));
        service.deactivate(created.apiKey().getId());

        problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + created.plaintext())),
                403, "API key inactive");
        String wrongSecret = new ApiKeyFormat().format(created.apiKey().getKeyId(), new ApiKeyFormat().newSecret());
        problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + wrongSecret)),
                401, "API key invalid");
    }

    @Test
    void everyChangeToACachedKeyTakesEffectOnTheNextRequest() throws Exception {
        var created = service.create(NewApiKey.named("cached").withScopes(List.of("read", "write")));
        String key = created.plaintext();
        var id = created.apiKey().getId();
        for (int i = 0; i < 3; i++) {
            mvc.perform(get("/annotated/read-write").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                    .andExpect(status().isOk());
        }

        service.update(id, io.github.apikey.core.domain.ApiKeyChanges.builder().scopes(List.of("read")).build());
        problem(mvc.perform(get("/annotated/read-write").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)),
                403, "API key missing required scopes 'write'");
        service.update(id, io.github.apikey.core.domain.ApiKeyChanges.builder()
                .expiresAt(clock.instant().plusSeconds(1)).build());
        clock.advance(Duration.ofSeconds(1));
        problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)), 403, "API key expired");
        service.update(id, io.github.apikey.core.domain.ApiKeyChanges.builder().clearExpiry().build());
        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)).andExpect(status().isOk());
        service.deactivate(id);
        problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)), 403, "API key inactive");
        service.delete(id);
        problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)), 401, "API key invalid");
    }

    @Test
    void anExpiredKeyIs403() throws Exception {
        String key = service.create(NewApiKey.named("k").withExpiresAt(clock.instant().plusSeconds(60))).plaintext();
        clock.advance(Duration.ofMinutes(2));

        problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)), 403, "API key expired");
    }

    @Test
    void theManagementPathNeedsTheAdminScope() throws Exception {
        String plain = service.create(NewApiKey.named("plain")).plaintext();
        String admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();

        problem(mvc.perform(get("/api-keys/ping").header(HttpHeaders.AUTHORIZATION, "Bearer " + plain)),
                403, "API key missing required scopes 'api-keys:admin'")
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\", "
                        + "error=\"insufficient_scope\", error_description=\"API key missing required scopes "
                        + "'api-keys:admin'\", scope=\"api-keys:admin\""));
        mvc.perform(get("/api-keys/ping").header(HttpHeaders.AUTHORIZATION, "Bearer " + admin))
                .andExpect(status().isOk()).andExpect(content().string("pong"));
        problem(mvc.perform(get("/api-keys/ping")), 401, "API key missing");
    }

    @Test
    void theAnnotationOnAMethodRequiresItsScopes() throws Exception {
        String read = service.create(NewApiKey.named("r").withScopes(List.of("read"))).plaintext();
        String both = service.create(NewApiKey.named("rw").withScopes(List.of("write", "read"))).plaintext();

        mvc.perform(get("/annotated/read").header(HttpHeaders.AUTHORIZATION, "Bearer " + read))
                .andExpect(status().isOk());
        problem(mvc.perform(get("/annotated/read-write").header(HttpHeaders.AUTHORIZATION, "Bearer " + read)),
                403, "API key missing required scopes 'write'")
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                        org.hamcrest.Matchers.endsWith("error=\"insufficient_scope\", error_description=\"API key "
                                + "missing required scopes 'write'\", scope=\"write\"")));
        mvc.perform(get("/annotated/read-write").header(HttpHeaders.AUTHORIZATION, "Bearer " + both))
                .andExpect(status().isOk()).andExpect(content().string("read-write"));
    }

    @Test
    void theAnnotationOnAClassAppliesToEveryMethodUnlessTheMethodHasItsOwn() throws Exception {
        String reports = service.create(NewApiKey.named("r").withScopes(List.of("reports"))).plaintext();
        String audit = service.create(NewApiKey.named("a").withScopes(List.of("audit"))).plaintext();

        mvc.perform(get("/reports").header(HttpHeaders.AUTHORIZATION, "Bearer " + reports))
                .andExpect(status().isOk());
        problem(mvc.perform(get("/reports").header(HttpHeaders.AUTHORIZATION, "Bearer " + audit)),
                403, "API key missing required scopes 'reports'");
        mvc.perform(get("/reports/audit").header(HttpHeaders.AUTHORIZATION, "Bearer " + audit))
                .andExpect(status().isOk()).andExpect(content().string("audit"));
        problem(mvc.perform(get("/reports/audit").header(HttpHeaders.AUTHORIZATION, "Bearer " + reports)),
                403, "API key missing required scopes 'audit'");
    }

    @Test
    void preAuthorizeOnScopeAuthoritiesWorksAndNamesTheMissingScope() throws Exception {
        String read = service.create(NewApiKey.named("r").withScopes(List.of("read"))).plaintext();
        String write = service.create(NewApiKey.named("w").withScopes(List.of("write"))).plaintext();

        mvc.perform(get("/preauthorized").header(HttpHeaders.AUTHORIZATION, "Bearer " + write))
                .andExpect(status().isOk()).andExpect(content().string("written"));
        problem(mvc.perform(get("/preauthorized").header(HttpHeaders.AUTHORIZATION, "Bearer " + read)),
                403, "API key missing required scopes 'write'");
    }

    @Test
    void postsWithAKeyNeedNoCsrfTokenAndCreateNoSession() throws Exception {
        String key = service.create(NewApiKey.named("k")).plaintext();

        MvcResult result = mvc.perform(post("/echo").header(HttpHeaders.AUTHORIZATION, "Bearer " + key)
                        .contentType(MediaType.TEXT_PLAIN).content("ping"))
                .andExpect(status().isOk()).andExpect(content().string("ping")).andReturn();
        assertThat(result.getRequest().getSession(false)).isNull();
        problem(mvc.perform(post("/echo").contentType(MediaType.TEXT_PLAIN).content("ping")), 401, "API key missing");
    }

    @Test
    void theApiKeyHeaderIsOffByDefault() throws Exception {
        String key = service.create(NewApiKey.named("k")).plaintext();

        problem(mvc.perform(get("/hello").header("X-API-Key", key)), 401, "API key missing");
    }

    @Test
    void twoKeysInOneRequestAreRefused() throws Exception {
        String first = service.create(NewApiKey.named("a")).plaintext();
        String second = service.create(NewApiKey.named("b")).plaintext();

        MockHttpServletRequestBuilder request = get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + first)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + second);
        problem(mvc.perform(request), 401, "API key invalid");
    }

    @Test
    void anEmptyOrBlankBearerTokenCountsAsNoKey() throws Exception {
        problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer ")), 401, "API key missing");
        problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer    ")), 401, "API key missing");
    }

    static ResultActions problem(ResultActions actions, int status, String detail) throws Exception {
        return actions.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.detail").value(detail));
    }

    static void assertNotEchoed(MvcResult result, String key) throws Exception {
        assertThat(result.getResponse().getContentAsString()).doesNotContain(key);
        for (String name : result.getResponse().getHeaderNames()) {
            assertThat(result.getResponse().getHeaders(name)).noneMatch(value -> value.contains(key));
        }
    }
}
