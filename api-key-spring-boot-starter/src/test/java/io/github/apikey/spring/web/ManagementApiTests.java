package io.github.apikey.spring.web;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.core.usage.UsageRecorder;
import io.github.apikey.spring.web.app.ManagementApplication;

import com.jayway.jsonpath.JsonPath;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** Every route, status and validation case of the management API, behind the default chain. */
@SpringBootTest(classes = ManagementApplication.class, properties = {"api-key.pepper=management-pepper-0123456789abcd",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class ManagementApiTests {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    UsageRecorder usageRecorder;

    private String admin;

    @BeforeEach
    void freshTableAndAdminKey() {
        clock.set(NOW);
        jdbc.update("DELETE FROM api_keys");
        admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
    }

    @Test
    void createAnswers201WithThePlaintextOnceTheViewAndItsLocation() throws Exception {
        String body = mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"ci\"}"))
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.LOCATION, matchesPattern("http://localhost/api-keys/[0-9a-f-]{36}")))
                .andExpect(jsonPath("$.apiKey").value(matchesPattern("ak_v1-[0-9a-f]{16}-[A-Za-z0-9]{64}")))
                .andExpect(jsonPath("$.entity.name").value("ci"))
                .andExpect(jsonPath("$.entity.isActive").value(true))
                .andExpect(jsonPath("$.entity.scopes", hasSize(0)))
                .andExpect(jsonPath("$.entity.createdAt").value("2026-06-01T00:00:00Z"))
                .andReturn().getResponse().getContentAsString();

        assertThat(body).contains("\"description\":null", "\"expiresAt\":null", "\"lastUsedAt\":null")
                .doesNotContain("keyHash", "secretFirst", "hash");
        String id = JsonPath.read(body, "$.entity.id");
        String key = JsonPath.read(body, "$.apiKey");
        assertThat(JsonPath.<String>read(body, "$.entity.keyId")).isEqualTo(new ApiKeyFormat().parse(key).keyId());

        String view = mvc.perform(asAdmin(get("/api-keys/" + id))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(view).doesNotContain(key.substring(23));
        assertThat(JsonPath.<List<String>>read(view, "$.*")).hasSize(18);
    }

    @Test
    void createTakesEveryField() throws Exception {
        mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON).content("""
                        {"name":"full","description":"all of it","isActive":false,"scopes":["read","keys:admin"],
                         "expiresAt":"2026-07-01T12:30:00Z"}"""))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.entity.description").value("all of it"))
                .andExpect(jsonPath("$.entity.isActive").value(false))
                .andExpect(jsonPath("$.entity.scopes[1]").value("keys:admin"))
                .andExpect(jsonPath("$.entity.expiresAt").value("2026-07-01T12:30:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "missing name|{}|name",
            "blank name|{\"name\":\"  \"}|name",
            "long name|{\"name\":\"NAME129\"}|name",
            "long description|{\"name\":\"k\",\"description\":\"DESC1025\"}|description",
            "bad scope|{\"name\":\"k\",\"scopes\":[\"read\",\"Write\"]}|scopes",
            "null scope|{\"name\":\"k\",\"scopes\":[null]}|scopes",
            "past expiry|{\"name\":\"k\",\"expiresAt\":\"2026-05-31T23:59:59Z\"}|expiresAt",
            "malformed date|{\"name\":\"k\",\"expiresAt\":\"tomorrow\"}|expiresAt",
            "scopes not a list|{\"name\":\"k\",\"scopes\":{\"a\":1}}|scopes",
            "isActive not a boolean|{\"name\":\"k\",\"isActive\":\"maybe\"}|isActive"})
    void createRejectsBadInputNamingTheField(String label, String json, String field) throws Exception {
        String body = json.replace("NAME129", "n".repeat(129)).replace("DESC1025", "d".repeat(1025));
        badRequest(mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON).content(body)), field);
        assertThat(service.count(io.github.apikey.core.store.ApiKeyFilter.all())).isEqualTo(1);
    }

    @Test
    void malformedOrMissingJsonIs400NamingTheBody() throws Exception {
        for (String body : new String[] {"not json", "", "[1,2]"}) {
            badRequest(mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON).content(body)),
                    "body");
        }
        badRequest(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)), "body");
        mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON).content("{\"name\":"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.field").isNotEmpty());
    }

    /** A misspelt field used to be dropped silently: an "inactive" key was created active, a "scoped" one bare. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "create, misspelt isActive|POST|/api-keys|{\"name\":\"x\",\"active\":false}|active",
            "create, misspelt scopes|POST|/api-keys|{\"name\":\"x\",\"scope\":[\"write\"]}|scope",
            "patch|PATCH|/api-keys/ID|{\"nmae\":\"renamed\"}|nmae",
            "search|POST|/api-keys/search|{\"nameContain\":\"a\"}|nameContain",
            "count|POST|/api-keys/count|{\"active\":true}|active",
            "verify|POST|/api-keys/verify|{\"key\":\"ak_v1-x\"}|key"})
    void unknownFieldsAreRefusedNamingTheField(String label, String method, String path, String json, String field)
            throws Exception {
        String id = service.create(NewApiKey.named("existing")).apiKey().getId().toString();
        MockHttpServletRequestBuilder request = method.equals("PATCH") ? patch(path.replace("ID", id))
                : post(path.replace("ID", id));
        mvc.perform(asAdmin(request).contentType(MediaType.APPLICATION_JSON).content(json))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.field").value(field))
                .andExpect(jsonPath("$.detail").value("Field '" + field + "' is not a field of this request"))
                .andExpect(jsonPath("$.type").value("urn:api-key:problem:invalid-request"));
        assertThat(service.count(io.github.apikey.core.store.ApiKeyFilter.all())).isEqualTo(2);
        assertThat(service.get(UUID.fromString(id)).getName()).isEqualTo("existing");
    }

    @Test
    void eachKindOfErrorHasItsOwnProblemType() throws Exception {
        String reader = service.create(NewApiKey.named("reader").withScopes(List.of("read"))).plaintext();
        String inactive = service.create(NewApiKey.named("off").withActive(false)).plaintext();

        problemType(mvc.perform(asAdmin(get("/api-keys/" + UUID.randomUUID()))), 404, "key-not-found");
        problemType(mvc.perform(asAdmin(get("/api-keys?limit=0"))), 400, "invalid-request");
        problemType(mvc.perform(get("/api-keys")), 401, "key-missing");
        problemType(mvc.perform(get("/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer ak_v1-nonsense")),
                401, "key-invalid");
        problemType(mvc.perform(get("/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + reader)),
                403, "insufficient-scope");
        problemType(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"apiKey\":\"" + inactive + "\"}")), 403, "key-inactive");
        problemType(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"apiKey\":\"" + reader + "\",\"requiredScopes\":[\"write\"]}")), 403, "insufficient-scope")
                .andExpect(jsonPath("$.missingScopes[0]").value("write"));
    }

    /** HTTP requires a challenge on every 401 (RFC 9110, 15.5.2), /verify's included. */
    @Test
    void verifyAnswers401WithAChallenge() throws Exception {
        problemType(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                        .content("{}")), 401, "key-missing")
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\""));
        problemType(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"apiKey\":\"ak_v1-0123456789abcdef-nope\"}")), 401, "key-invalid")
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"api\""));
    }

    @Test
    void listIsNewestFirstAndPaged() throws Exception {
        for (int i = 1; i <= 3; i++) {
            clock.advance(Duration.ofSeconds(1));
            service.create(NewApiKey.named("key-" + i));
        }

        mvc.perform(asAdmin(get("/api-keys"))).andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(4)))
                .andExpect(jsonPath("$[0].name").value("key-3"))
                .andExpect(jsonPath("$[3].name").value("admin"));
        mvc.perform(asAdmin(get("/api-keys?offset=1&limit=2"))).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.contains("key-2", "key-1")));
    }

    @ParameterizedTest
    @CsvSource({"limit=0, limit", "limit=101, limit", "offset=-1, offset", "limit=ten, limit", "offset=1.5, offset"})
    void listRejectsABadPage(String query, String field) throws Exception {
        badRequest(mvc.perform(asAdmin(get("/api-keys?" + query))), field);
        badRequest(mvc.perform(asAdmin(post("/api-keys/search?" + query))), field);
    }

    @Test
    void getAnswersTheViewOr404OrA400ForAMalformedId() throws Exception {
        String id = service.create(NewApiKey.named("one")).apiKey().getId().toString();

        mvc.perform(asAdmin(get("/api-keys/" + id))).andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(id)).andExpect(jsonPath("$.name").value("one"));
        UUID unknown = UUID.randomUUID();
        problem(mvc.perform(asAdmin(get("/api-keys/" + unknown))), 404, "API key " + unknown + " not found");
        badRequest(mvc.perform(asAdmin(get("/api-keys/not-a-uuid"))), "id");
    }

    @Test
    void patchChangesOnlyWhatIsSent() throws Exception {
        String id = service.create(NewApiKey.named("before").withDescription("d").withScopes(List.of("read"))
                .withExpiresAt(NOW.plus(Duration.ofDays(1)))).apiKey().getId().toString();

        mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"after\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("after"))
                .andExpect(jsonPath("$.description").value("d"))
                .andExpect(jsonPath("$.scopes[0]").value("read"))
                .andExpect(jsonPath("$.expiresAt").value("2026-06-02T00:00:00Z"));
        mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON).content("""
                        {"description":"new","isActive":false,"scopes":["write"],"expiresAt":"2026-08-01T00:00:00Z"}"""))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.description").value("new"))
                .andExpect(jsonPath("$.isActive").value(false))
                .andExpect(jsonPath("$.scopes[0]").value("write"))
                .andExpect(jsonPath("$.expiresAt").value("2026-08-01T00:00:00Z"));
        String cleared = mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"clearExpires\":true}"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(cleared).contains("\"expiresAt\":null");
    }

    @Test
    void patchValidatesAndAnswers404ForAnUnknownKey() throws Exception {
        String id = service.create(NewApiKey.named("k")).apiKey().getId().toString();

        badRequest(mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"scopes\":[\"BAD\"]}")), "scopes");
        badRequest(mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"\"}")), "name");
        badRequest(mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"expiresAt\":\"2020-01-01T00:00:00Z\"}")), "expiresAt");
        badRequest(mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"expiresAt\":\"2027-01-01T00:00:00Z\",\"clearExpires\":true}")), "clearExpires");
        mvc.perform(asAdmin(patch("/api-keys/" + UUID.randomUUID())).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"x\"}")).andExpect(status().isNotFound());
    }

    @Test
    void deleteAnswers204ThenTheKeyIsGone() throws Exception {
        var created = service.create(NewApiKey.named("doomed"));
        String id = created.apiKey().getId().toString();

        mvc.perform(asAdmin(delete("/api-keys/" + id))).andExpect(status().isNoContent())
                .andExpect(content().string(""));
        mvc.perform(asAdmin(get("/api-keys/" + id))).andExpect(status().isNotFound());
        mvc.perform(asAdmin(delete("/api-keys/" + id))).andExpect(status().isNotFound());
        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + created.plaintext()))
                .andExpect(status().isUnauthorized());
    }

    @Test
    void activateAndDeactivateAreIdempotentAndTakeEffectAtOnce() throws Exception {
        var created = service.create(NewApiKey.named("toggled").withScopes(List.of("read")));
        String id = created.apiKey().getId().toString();
        String verify = "{\"apiKey\":\"" + created.plaintext() + "\"}";

        for (int i = 0; i < 2; i++) {
            mvc.perform(asAdmin(post("/api-keys/" + id + "/deactivate"))).andExpect(status().isOk())
                    .andExpect(jsonPath("$.isActive").value(false));
        }
        problem(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON).content(verify)),
                403, "API key inactive");
        for (int i = 0; i < 2; i++) {
            mvc.perform(asAdmin(post("/api-keys/" + id + "/activate"))).andExpect(status().isOk())
                    .andExpect(jsonPath("$.isActive").value(true));
        }
        mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON).content(verify))
                .andExpect(status().isOk()).andExpect(jsonPath("$.id").value(id));
        mvc.perform(asAdmin(post("/api-keys/" + UUID.randomUUID() + "/activate"))).andExpect(status().isNotFound());
    }

    @Test
    void searchFiltersOrdersPagesAndCounts() throws Exception {
        service.create(NewApiKey.named("billing-export").withScopes(List.of("read", "write")));
        service.create(NewApiKey.named("Billing-import").withScopes(List.of("read")).withActive(false));
        service.create(NewApiKey.named("reports").withScopes(List.of("read")));

        mvc.perform(asAdmin(post("/api-keys/search?limit=10")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"nameContains\":\"billing\",\"orderBy\":\"name\",\"orderDesc\":false}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.limit").value(10))
                .andExpect(jsonPath("$.offset").value(0))
                .andExpect(jsonPath("$.items[*].name").value(org.hamcrest.Matchers.contains("Billing-import",
                        "billing-export")));
        mvc.perform(asAdmin(post("/api-keys/search?offset=1&limit=1")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"isActive\":true,\"scopesContainAll\":[\"read\"],\"orderBy\":\"created_at\"}"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items", hasSize(1)));
        mvc.perform(asAdmin(post("/api-keys/search"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(4));
        usageRecorder.flush();
        mvc.perform(asAdmin(post("/api-keys/count")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"scopesContainAny\":[\"write\",\"api-keys:admin\"],\"neverUsed\":true}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(1));
        mvc.perform(asAdmin(post("/api-keys/count")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"createdAfter\":\"2026-05-31T00:00:00Z\",\"expiresBefore\":null}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(4));
    }

    @Test
    void searchRejectsAnUnknownOrderAndMalformedFilters() throws Exception {
        badRequest(mvc.perform(asAdmin(post("/api-keys/search")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"orderBy\":\"keyHash\"}")), "orderBy");
        badRequest(mvc.perform(asAdmin(post("/api-keys/count")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"createdBefore\":\"yesterday\"}")), "createdBefore");
        badRequest(mvc.perform(asAdmin(post("/api-keys/count")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"scopesContainAll\":[null]}")), "scopesContainAll");
    }

    @Test
    void verifyAnswersTheViewOrTheProblemsOfKeyAuthentication() throws Exception {
        String key = service.create(NewApiKey.named("checked").withScopes(List.of("read"))
                .withExpiresAt(NOW.plusSeconds(60))).plaintext();
        ApiKeyFormat format = new ApiKeyFormat();

        mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"apiKey\":\"" + key + "\",\"requiredScopes\":[\"read\"]}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.name").value("checked"))
                .andExpect(jsonPath("$.lastUsedAt").value("2026-06-01T00:00:00Z"));
        problem(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"apiKey\":\"" + key + "\",\"requiredScopes\":[\"read\",\"write\"]}")),
                403, "API key missing required scopes 'write'");
        problem(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"apiKey\":\"" + format.format(format.parse(key).keyId(), format.newSecret()) + "\"}")),
                401, "API key invalid");
        problem(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                .content("{}")), 401, "API key missing");
        badRequest(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"apiKey\":\"" + key + "\",\"requiredScopes\":[null]}")), "requiredScopes");
        clock.advance(Duration.ofMinutes(2));
        problem(mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"apiKey\":\"" + key + "\"}")), 403, "API key expired");
    }

    @Test
    void onlyKeysWithTheAdminScopeGetIn() throws Exception {
        String plain = service.create(NewApiKey.named("plain").withScopes(List.of("read"))).plaintext();

        problem(mvc.perform(get("/api-keys")), 401, "API key missing");
        problem(mvc.perform(post("/api-keys").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"x\"}")),
                401, "API key missing");
        problem(mvc.perform(get("/api-keys").header(HttpHeaders.AUTHORIZATION, "Bearer " + plain)),
                403, "API key missing required scopes 'api-keys:admin'");
    }

    @Test
    void requestsNoRouteTakesAreClientErrorsNotServerErrors() throws Exception {
        mvc.perform(asAdmin(put("/api-keys/" + UUID.randomUUID()))).andExpect(status().isMethodNotAllowed());
        mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.TEXT_PLAIN).content("name=x"))
                .andExpect(status().isUnsupportedMediaType());
    }

    private MockHttpServletRequestBuilder asAdmin(MockHttpServletRequestBuilder request) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin);
    }

    static ResultActions problemType(ResultActions actions, int status, String kind) throws Exception {
        return actions.andExpect(status().is(status))
                .andExpect(header().string(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                .andExpect(jsonPath("$.type").value("urn:api-key:problem:" + kind));
    }

    static ResultActions problem(ResultActions actions, int status, String detail) throws Exception {
        return actions.andExpect(status().is(status))
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(status))
                .andExpect(jsonPath("$.detail").value(detail));
    }

    static void badRequest(ResultActions actions, String field) throws Exception {
        actions.andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.field").value(field))
                .andExpect(jsonPath("$.detail").value(containsString(field)));
    }
}
