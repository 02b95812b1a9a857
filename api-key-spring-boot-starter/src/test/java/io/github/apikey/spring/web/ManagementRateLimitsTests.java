package io.github.apikey.spring.web;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.store.ApiKeyFilter;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.security.ApiKeyPrincipal;
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

import tools.jackson.databind.cfg.DateTimeFeature;
import tools.jackson.databind.json.JsonMapper;

import static io.github.apikey.spring.web.ManagementApiTests.badRequest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * A key's own rate limits through the management API: set on create, shown in every view with the window as
 * ISO-8601 text, replaced by PATCH ({@code null} or absent leaves them, {@code []} returns the key to the configured
 * defaults), and refused with a 400 naming {@code rateLimits}.
 */
@SpringBootTest(classes = ManagementApplication.class, properties = {"api-key.pepper=management-pepper-0123456789abcd",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class ManagementRateLimitsTests {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    private static final String TWO_LIMITS = """
            [{"name":"requests","limit":100,"duration":"PT1M"},{"name":"daily","limit":10000,"duration":"P1D"}]""";

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Autowired
    MutableClock clock;

    @Autowired
    JdbcTemplate jdbc;

    private String admin;

    @BeforeEach
    void freshTableAndAdminKey() {
        clock.set(NOW);
        jdbc.update("DELETE FROM api_keys");
        admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
    }

    @Test
    void createSetsThemAndEveryViewShowsThemInOrderWithIsoWindows() throws Exception {
        String body = json(mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"limited\",\"rateLimits\":" + TWO_LIMITS + "}"))
                .andExpect(status().isCreated()));
        // P1D comes back as PT24H: Duration's own text, the same length of time.
        String shown = "[{\"name\":\"requests\",\"limit\":100,\"duration\":\"PT1M\"},"
                + "{\"name\":\"daily\",\"limit\":10000,\"duration\":\"PT24H\"}]";
        assertThat(body).contains("\"rateLimits\":" + shown);
        String id = JsonPath.read(body, "$.entity.id");

        assertThat(json(mvc.perform(asAdmin(get("/api-keys/" + id))))).contains("\"rateLimits\":" + shown);
        assertThat(json(mvc.perform(asAdmin(get("/api-keys"))))).contains("\"rateLimits\":" + shown);
        assertThat(json(mvc.perform(asAdmin(post("/api-keys/search")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"nameExact\":\"limited\"}")))).contains("\"rateLimits\":" + shown);
        assertThat(service.get(UUID.fromString(id)).getRateLimits()).containsExactly(
                new RateLimit("requests", 100, Duration.ofMinutes(1)),
                new RateLimit("daily", 10_000, Duration.ofDays(1)));
        // A rotation replaces the secret and nothing else.
        assertThat(json(mvc.perform(asAdmin(post("/api-keys/" + id + "/rotate"))))).contains("\"rateLimits\":" + shown);
    }

    @Test
    void aKeyWithoutLimitsOfItsOwnShowsAnEmptyList() throws Exception {
        for (String request : List.of("{\"name\":\"plain\"}", "{\"name\":\"nulls\",\"rateLimits\":null}",
                "{\"name\":\"empty\",\"rateLimits\":[]}")) {
            assertThat(json(mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON)
                    .content(request)).andExpect(status().isCreated()))).as(request).contains("\"rateLimits\":[]");
        }
    }

    @Test
    void patchReplacesThemLeavesThemForNullAndOtherFieldsAndEmptyReturnsToTheDefaults() throws Exception {
        String id = service.create(NewApiKey.named("patched").withRateLimits(
                List.of(new RateLimit("requests", 5, Duration.ofSeconds(1))))).apiKey().getId().toString();

        patchKey(id, "{\"rateLimits\":" + TWO_LIMITS + "}").andExpect(status().isOk())
                .andExpect(jsonPath("$.rateLimits.length()").value(2))
                .andExpect(jsonPath("$.rateLimits[1].name").value("daily"))
                .andExpect(jsonPath("$.rateLimits[1].duration").value("PT24H"))
                .andExpect(jsonPath("$.name").value("patched"));

        String before = json(mvc.perform(asAdmin(get("/api-keys/" + id))));
        patchKey(id, "{\"rateLimits\":null}").andExpect(status().isOk());
        patchKey(id, "{}").andExpect(status().isOk());
        // What a generated client sends when only the name changes: every other field null.
        patchKey(id, """
                {"name":"renamed","description":null,"isActive":null,"scopes":null,"expiresAt":null,
                 "clearExpires":null,"ownerId":null,"clearOwnerId":null,"metadata":null,"allowedIps":null,
                 "allowedOrigins":null,"remaining":null,"refill":null,"clearCredits":null,"clearRefill":null,
                 "rateLimits":null}""").andExpect(status().isOk()).andExpect(jsonPath("$.name").value("renamed"));
        assertThat(json(mvc.perform(asAdmin(get("/api-keys/" + id)))))
                .isEqualTo(before.replace("\"name\":\"patched\"", "\"name\":\"renamed\""));

        patchKey(id, "{\"rateLimits\":[]}").andExpect(status().isOk()).andExpect(jsonPath("$.rateLimits.length()").value(0));
        assertThat(service.get(UUID.fromString(id)).getRateLimits()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "name with capitals|[{\"name\":\"Requests\",\"limit\":1,\"duration\":\"PT1M\"}]|rateLimits",
            "name twice|[{\"name\":\"a\",\"limit\":1,\"duration\":\"PT1M\"},{\"name\":\"a\",\"limit\":2,\"duration\":\"PT1H\"}]|rateLimits",
            "no requests at all|[{\"name\":\"a\",\"limit\":0,\"duration\":\"PT1M\"}]|rateLimits",
            "window under a second|[{\"name\":\"a\",\"limit\":1,\"duration\":\"PT0.5S\"}]|rateLimits",
            "negative window|[{\"name\":\"a\",\"limit\":1,\"duration\":\"-PT1M\"}]|rateLimits",
            "window over a year|[{\"name\":\"a\",\"limit\":1,\"duration\":\"P367D\"}]|rateLimits",
            "window not ISO-8601|[{\"name\":\"a\",\"limit\":1,\"duration\":\"1m\"}]|rateLimits",
            "window in months|[{\"name\":\"a\",\"limit\":1,\"duration\":\"P1M\"}]|rateLimits",
            "window as seconds|[{\"name\":\"a\",\"limit\":1,\"duration\":60}]|rateLimits",
            "no window|[{\"name\":\"a\",\"limit\":1}]|rateLimits",
            "no name|[{\"limit\":1,\"duration\":\"PT1M\"}]|rateLimits",
            "no limit|[{\"name\":\"a\",\"duration\":\"PT1M\"}]|rateLimits",
            "null entry|[null]|rateLimits",
            "nine limits|NINE|rateLimits",
            "an object, not a list|{\"name\":\"a\",\"limit\":1,\"duration\":\"PT1M\"}|rateLimits",
            "limit not a number|[{\"name\":\"a\",\"limit\":\"many\",\"duration\":\"PT1M\"}]|rateLimits[0].limit",
            "unknown field|[{\"name\":\"a\",\"limit\":1,\"duration\":\"PT1M\",\"burst\":2}]|burst"})
    void badLimitsAreRefusedOnCreateAndPatchNamingTheField(String label, String limits, String field)
            throws Exception {
        String value = limits.equals("NINE") ? nineLimits() : limits;
        String id = service.create(NewApiKey.named("kept").withRateLimits(
                List.of(new RateLimit("requests", 5, Duration.ofSeconds(1))))).apiKey().getId().toString();

        badRequest(mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"k\",\"rateLimits\":" + value + "}")), field);
        badRequest(patchKey(id, "{\"rateLimits\":" + value + "}"), field);

        assertThat(service.count(ApiKeyFilter.all())).as("no key created").isEqualTo(2);
        assertThat(service.get(UUID.fromString(id)).getRateLimits()).as("limits unchanged")
                .containsExactly(new RateLimit("requests", 5, Duration.ofSeconds(1)));
    }

    /** The most a key may have, and the widest window, are accepted: the bounds above are the rules' own. */
    @Test
    void eightLimitsAndAWindowOf366DaysAreAccepted() throws Exception {
        String eight = nineLimits().replaceFirst("\\{\"name\":\"l8\"[^}]*},?", "").replace(",]", "]")
                .replace("\"PT1S\"", "\"P366D\"");
        mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"k\",\"rateLimits\":" + eight + "}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.entity.rateLimits.length()").value(8))
                .andExpect(jsonPath("$.entity.rateLimits[7].duration").value("PT8784H"));
    }

    /** An application whose mapper writes durations as numbers still shows the windows as the API takes them. */
    @Test
    void theViewWritesWindowsAsIsoTextWhateverTheMappersDurationSetting() {
        ApiKeyPrincipal view = ApiKeyPrincipal.of(service.create(NewApiKey.named("numbers").withRateLimits(
                List.of(new RateLimit("requests", 100, Duration.ofMinutes(1))))).apiKey());
        JsonMapper numbers = JsonMapper.builder().enable(DateTimeFeature.WRITE_DURATIONS_AS_TIMESTAMPS).build();

        assertThat(numbers.writeValueAsString(view))
                .contains("\"rateLimits\":[{\"name\":\"requests\",\"limit\":100,\"duration\":\"PT1M\"}]");
        assertThat(numbers.writeValueAsString(Duration.ofMinutes(1))).as("the setting is in force").isNotEqualTo("\"PT1M\"");
    }

    private static String nineLimits() {
        StringBuilder json = new StringBuilder("[");
        for (int i = 0; i < 9; i++) {
            json.append(i == 0 ? "" : ",").append("{\"name\":\"l").append(i).append("\",\"limit\":1,\"duration\":\"PT1S\"}");
        }
        return json.append(']').toString();
    }

    /** Limits set through the API are the ones requests meet, and {@code []} lifts them again. */
    @Test
    void limitsSetByPatchAreEnforcedOnTheKeysRequestsAndLiftedByAnEmptyList() throws Exception {
        var created = service.create(NewApiKey.named("throttled"));
        String id = created.apiKey().getId().toString();
        String verify = "{\"apiKey\":\"" + created.plaintext() + "\"}";

        patchKey(id, "{\"rateLimits\":[{\"name\":\"requests\",\"limit\":2,\"duration\":\"PT1H\"}]}")
                .andExpect(status().isOk());
        for (int i = 0; i < 2; i++) {
            mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON).content(verify))
                    .andExpect(status().isOk());
        }
        mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON).content(verify))
                .andExpect(status().isTooManyRequests())
                .andExpect(jsonPath("$.type").value("urn:api-key:problem:rate-limited"));

        patchKey(id, "{\"rateLimits\":[]}").andExpect(status().isOk());
        mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON).content(verify))
                .andExpect(status().isOk());
    }

    private ResultActions patchKey(String id, String json) throws Exception {
        return mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private static String json(ResultActions actions) throws Exception {
        return actions.andReturn().getResponse().getContentAsString();
    }

    private MockHttpServletRequestBuilder asAdmin(MockHttpServletRequestBuilder request) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + admin);
    }
}
