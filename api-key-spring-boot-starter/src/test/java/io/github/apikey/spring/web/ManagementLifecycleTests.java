package io.github.apikey.spring.web;

import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.core.testing.MutableClock;
import io.github.apikey.spring.web.app.ManagementApplication;

import com.jayway.jsonpath.JsonPath;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
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

import static io.github.apikey.spring.web.ManagementApiTests.badRequest;
import static io.github.apikey.spring.web.ManagementApiTests.problemType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Owners, metadata, restrictions, credits and rotation through the management API: create, PATCH (absent or null
 * leaves a field alone, a {@code clear...} flag removes it), the rotate route, the owner and metadata filters, and
 * {@code /verify} for restricted and counted keys.
 */
@SpringBootTest(classes = ManagementApplication.class, properties = {"api-key.pepper=management-pepper-0123456789abcd",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class ManagementLifecycleTests {

    private static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");

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
    void createTakesOwnerMetadataRestrictionsAndCreditsAndIsNeverCached() throws Exception {
        String body = json(mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON).content("""
                        {"name":"tenant key","ownerId":"tenant-42",
                         "metadata":{"tier":"gold","seats":5,"beta":true,"tags":["a","b"],"billing":{"plan":"y"}},
                         "allowedIps":["203.0.113.9/24","2001:DB8::/32"],
                         "allowedOrigins":["HTTPS://App.Example.com:443"],
                         "remaining":100,"refill":{"amount":100,"interval":"MONTHLY"}}"""))
                .andExpect(status().isCreated())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
                .andExpect(jsonPath("$.entity.ownerId").value("tenant-42"))
                .andExpect(jsonPath("$.entity.metadata.tier").value("gold"))
                .andExpect(jsonPath("$.entity.metadata.seats").value(5))
                .andExpect(jsonPath("$.entity.metadata.beta").value(true))
                .andExpect(jsonPath("$.entity.metadata.tags[1]").value("b"))
                .andExpect(jsonPath("$.entity.metadata.billing.plan").value("y"))
                .andExpect(jsonPath("$.entity.allowedIps", contains("203.0.113.0/24", "2001:db8:0:0:0:0:0:0/32")))
                .andExpect(jsonPath("$.entity.allowedOrigins", contains("https://app.example.com")))
                .andExpect(jsonPath("$.entity.remaining").value(100))
                .andExpect(jsonPath("$.entity.refill.amount").value(100))
                .andExpect(jsonPath("$.entity.refill.interval").value("MONTHLY"))
                .andExpect(jsonPath("$.entity.rotatedAt").doesNotExist()));
        assertThat(body).contains("\"rotatedAt\":null", "\"previousSecretExpiresAt\":null")
                .doesNotContain("Hash", "hash", "secretFirst");

        String id = JsonPath.read(body, "$.entity.id");
        mvc.perform(asAdmin(get("/api-keys/" + id))).andExpect(status().isOk())
                .andExpect(jsonPath("$.ownerId").value("tenant-42"))
                .andExpect(jsonPath("$.metadata.billing.plan").value("y"))
                .andExpect(jsonPath("$.refill.interval").value("MONTHLY"));
    }

    @Test
    void aRefillAloneStartsTheCreditsAtItsAmountAndAPlainKeyHasNoRestrictions() throws Exception {
        mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"name\":\"refilled\",\"refill\":{\"amount\":7,\"interval\":\"DAILY\"}}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.entity.remaining").value(7))
                .andExpect(jsonPath("$.entity.refill.interval").value("DAILY"));
        String plain = json(mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\":\"plain\"}")).andExpect(status().isCreated()));
        assertThat(plain).contains("\"ownerId\":null", "\"metadata\":{}", "\"allowedIps\":[]", "\"allowedOrigins\":[]",
                "\"remaining\":null", "\"refill\":null");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "blank owner|{\"name\":\"k\",\"ownerId\":\" \"}|ownerId",
            "long owner|{\"name\":\"k\",\"ownerId\":\"OWNER129\"}|ownerId",
            "metadata not an object|{\"name\":\"k\",\"metadata\":[1]}|metadata",
            "metadata too large|{\"name\":\"k\",\"metadata\":{\"big\":\"BIG4100\"}}|metadata",
            "not a CIDR block|{\"name\":\"k\",\"allowedIps\":[\"10.0.0.0/33\"]}|allowedIps",
            "a host name|{\"name\":\"k\",\"allowedIps\":[\"localhost\"]}|allowedIps",
            "null address|{\"name\":\"k\",\"allowedIps\":[null]}|allowedIps",
            "origin with a path|{\"name\":\"k\",\"allowedOrigins\":[\"https://a.example/app\"]}|allowedOrigins",
            "negative credits|{\"name\":\"k\",\"remaining\":-1}|remaining",
            "credits not a number|{\"name\":\"k\",\"remaining\":\"many\"}|remaining",
            "refill of nothing|{\"name\":\"k\",\"refill\":{\"amount\":0,\"interval\":\"DAILY\"}}|refill",
            "refill without interval|{\"name\":\"k\",\"refill\":{\"amount\":5}}|refill",
            "weekly refill|{\"name\":\"k\",\"refill\":{\"amount\":5,\"interval\":\"WEEKLY\"}}|refill.interval",
            "refill with an unknown field|{\"name\":\"k\",\"refill\":{\"amount\":5,\"interval\":\"DAILY\",\"day\":1}}|day"})
    void createRejectsBadLifecycleFieldsNamingTheField(String label, String json, String field) throws Exception {
        String body = json.replace("OWNER129", "o".repeat(129)).replace("BIG4100", "x".repeat(4100));
        badRequest(mvc.perform(asAdmin(post("/api-keys")).contentType(MediaType.APPLICATION_JSON).content(body)),
                field);
        assertThat(service.count(io.github.apikey.core.store.ApiKeyFilter.all())).isEqualTo(1);
    }

    @Test
    void eachPatchChangesItsFieldAndNullsChangeNothing() throws Exception {
        String id = id(service.create(NewApiKey.named("patched").withOwnerId("u1").withMetadata(Map.of("tier", "free"))
                .withAllowedIps(List.of("10.0.0.0/8")).withAllowedOrigins(List.of("https://a.example"))
                .withCredits(5L, new CreditRefill(5, CreditRefill.Interval.DAILY))).apiKey().getId());

        patchOk(id, "{\"ownerId\":\"u2\"}").andExpect(jsonPath("$.ownerId").value("u2"))
                .andExpect(jsonPath("$.metadata.tier").value("free"));
        patchOk(id, "{\"metadata\":{\"tier\":\"gold\",\"seats\":3}}").andExpect(jsonPath("$.metadata.tier").value("gold"))
                .andExpect(jsonPath("$.metadata.seats").value(3)).andExpect(jsonPath("$.ownerId").value("u2"));
        patchOk(id, "{\"allowedIps\":[\"192.0.2.0/24\"]}").andExpect(jsonPath("$.allowedIps", contains("192.0.2.0/24")))
                .andExpect(jsonPath("$.allowedOrigins", contains("https://a.example")));
        patchOk(id, "{\"allowedOrigins\":[\"https://b.example\"]}")
                .andExpect(jsonPath("$.allowedOrigins", contains("https://b.example")));
        patchOk(id, "{\"remaining\":50}").andExpect(jsonPath("$.remaining").value(50))
                .andExpect(jsonPath("$.refill.amount").value(5));
        patchOk(id, "{\"refill\":{\"amount\":9,\"interval\":\"MONTHLY\"}}").andExpect(jsonPath("$.remaining").value(50))
                .andExpect(jsonPath("$.refill.amount").value(9)).andExpect(jsonPath("$.refill.interval").value("MONTHLY"));

        String before = json(mvc.perform(asAdmin(get("/api-keys/" + id))));
        String unchanged = json(patchOk(id, """
                {"name":null,"description":null,"isActive":null,"scopes":null,"expiresAt":null,"clearExpires":null,
                 "ownerId":null,"clearOwnerId":null,"metadata":null,"allowedIps":null,"allowedOrigins":null,
                 "remaining":null,"refill":null,"clearCredits":null,"clearRefill":null}"""));
        assertThat(unchanged).isEqualTo(before);
    }

    @Test
    void clearFlagsRemoveWhatTheyNameAndEmptyValuesLiftRestrictions() throws Exception {
        String id = id(service.create(NewApiKey.named("cleared").withOwnerId("u1").withMetadata(Map.of("tier", "free"))
                .withAllowedIps(List.of("10.0.0.0/8")).withAllowedOrigins(List.of("https://a.example"))
                .withCredits(5L, new CreditRefill(5, CreditRefill.Interval.DAILY))).apiKey().getId());

        patchOk(id, "{\"clearRefill\":true}").andExpect(jsonPath("$.refill").value((Object) null))
                .andExpect(jsonPath("$.remaining").value(5));
        patchOk(id, "{\"clearCredits\":true}").andExpect(jsonPath("$.remaining").value((Object) null))
                .andExpect(jsonPath("$.refill").value((Object) null));
        patchOk(id, "{\"clearOwnerId\":true}").andExpect(jsonPath("$.ownerId").value((Object) null));
        String lifted = json(patchOk(id, "{\"metadata\":{},\"allowedIps\":[],\"allowedOrigins\":[]}"));
        assertThat(lifted).contains("\"metadata\":{}", "\"allowedIps\":[]", "\"allowedOrigins\":[]",
                "\"ownerId\":null", "\"remaining\":null");
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "{\"clearOwnerId\":true,\"ownerId\":\"u\"}|clearOwnerId",
            "{\"clearCredits\":true,\"remaining\":3}|clearCredits",
            "{\"clearCredits\":true,\"refill\":{\"amount\":1,\"interval\":\"DAILY\"}}|clearCredits",
            "{\"clearRefill\":true,\"refill\":{\"amount\":1,\"interval\":\"DAILY\"}}|clearRefill",
            "{\"remaining\":-5}|remaining",
            "{\"allowedOrigins\":[\"ftp://a.example\"]}|allowedOrigins",
            "{\"ownerId\":\"\"}|ownerId"})
    void patchRefusesContradictionsAndBadValuesNamingTheField(String json, String field) throws Exception {
        String id = id(service.create(NewApiKey.named("k").withOwnerId("u1")).apiKey().getId());

        badRequest(mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON)
                .content(json)), field);
        assertThat(service.get(UUID.fromString(id)).getOwnerId()).isEqualTo("u1");
    }

    @Test
    void rotationKeepsTheIdsIssuesANewSecretOnceAndTheOldOneWorksForTheGracePeriod() throws Exception {
        var created = service.create(NewApiKey.named("rotated").withScopes(List.of("api-keys:admin"))
                .withOwnerId("u1"));
        String id = id(created.apiKey().getId());
        String old = created.plaintext();

        String body = json(mvc.perform(asAdmin(post("/api-keys/" + id + "/rotate"))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"gracePeriod\":\"PT1H\"}"))
                .andExpect(status().isOk())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
                .andExpect(jsonPath("$.entity.id").value(id))
                .andExpect(jsonPath("$.entity.keyId").value(created.apiKey().getKeyId()))
                .andExpect(jsonPath("$.entity.ownerId").value("u1"))
                .andExpect(jsonPath("$.entity.scopes", contains("api-keys:admin")))
                .andExpect(jsonPath("$.entity.rotatedAt").value("2026-06-01T00:00:00Z"))
                .andExpect(jsonPath("$.entity.previousSecretExpiresAt").value("2026-06-01T01:00:00Z")));
        String fresh = JsonPath.read(body, "$.apiKey");
        assertThat(fresh).startsWith("ak_v1-" + created.apiKey().getKeyId() + "-").isNotEqualTo(old);
        assertThat(json(mvc.perform(asAdmin(get("/api-keys/" + id))))).doesNotContain(fresh.substring(23));

        mvc.perform(as(get("/api-keys/" + id), old)).andExpect(status().isOk());
        mvc.perform(as(get("/api-keys/" + id), fresh)).andExpect(status().isOk());
        clock.advance(Duration.ofHours(1));
        problemType(mvc.perform(as(get("/api-keys/" + id), old)), 401, "key-invalid");
        mvc.perform(as(get("/api-keys/" + id), fresh)).andExpect(status().isOk());
    }

    @Test
    void withoutAGracePeriodTheOldSecretStopsAtOnceAndRotatingAgainEndsAnEarlierGrace() throws Exception {
        var created = service.create(NewApiKey.named("rotated").withScopes(List.of("api-keys:admin")));
        String id = id(created.apiKey().getId());

        String first = rotate(id, null).andExpect(jsonPath("$.entity.previousSecretExpiresAt").value((Object) null))
                .andReturn().getResponse().getContentAsString();
        problemType(mvc.perform(as(get("/api-keys/" + id), created.plaintext())), 401, "key-invalid");
        String firstKey = JsonPath.read(first, "$.apiKey");
        String second = JsonPath.read(json(rotate(id, "{}")), "$.apiKey");
        problemType(mvc.perform(as(get("/api-keys/" + id), firstKey)), 401, "key-invalid");

        String third = JsonPath.read(json(rotate(id, "{\"gracePeriod\":\"P1D\"}")), "$.apiKey");
        String fourth = JsonPath.read(json(rotate(id, "{\"gracePeriod\":\"P1D\"}")), "$.apiKey");
        problemType(mvc.perform(as(get("/api-keys/" + id), second)), 401, "key-invalid");
        mvc.perform(as(get("/api-keys/" + id), third)).andExpect(status().isOk());
        mvc.perform(as(get("/api-keys/" + id), fourth)).andExpect(status().isOk());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "longer than the maximum|{\"gracePeriod\":\"P31D\"}|gracePeriod",
            "negative|{\"gracePeriod\":\"-PT1H\"}|gracePeriod",
            "not a duration|{\"gracePeriod\":\"24h\"}|gracePeriod",
            "unknown field|{\"grace\":\"PT1H\"}|grace"})
    void rotationRefusesABadGracePeriodAndKeepsTheSecret(String label, String json, String field) throws Exception {
        var created = service.create(NewApiKey.named("kept").withScopes(List.of("api-keys:admin")));

        badRequest(rotate(id(created.apiKey().getId()), json), field);
        mvc.perform(as(get("/api-keys"), created.plaintext())).andExpect(status().isOk());
        assertThat(service.get(created.apiKey().getId()).getRotatedAt()).isNull();
    }

    @Test
    void rotatingAnUnknownOrMalformedIdIsAClientError() throws Exception {
        problemType(rotate(UUID.randomUUID().toString(), null), 404, "key-not-found");
        badRequest(rotate("not-a-uuid", null), "id");
    }

    @Test
    void theListFiltersByOwnerAndMetadataInTheQuery() throws Exception {
        clock.advance(Duration.ofSeconds(1));
        service.create(NewApiKey.named("gold-1").withOwnerId("t1").withMetadata(Map.of("tier", "gold", "seats", 5)));
        clock.advance(Duration.ofSeconds(1));
        service.create(NewApiKey.named("free-1").withOwnerId("t1").withMetadata(Map.of("tier", "free")));
        clock.advance(Duration.ofSeconds(1));
        service.create(NewApiKey.named("gold-2").withOwnerId("t2").withMetadata(Map.of("tier", "gold", "seats", "5")));

        names(get("/api-keys").param("ownerId", "t1"), "gold-1", "free-1");
        names(get("/api-keys").param("metadata", "tier:gold"), "gold-1", "gold-2");
        names(get("/api-keys").param("ownerId", "t1").param("metadata", "tier:gold"), "gold-1");
        // A number matches its text, as the string "5" does.
        names(get("/api-keys").param("metadata", "seats:5"), "gold-1", "gold-2");
        // Newest first, one page at a time.
        names(get("/api-keys").param("metadata", "tier:gold", "seats:5").param("limit", "1"), "gold-2");
        names(get("/api-keys").param("metadata", "tier:gold").param("offset", "1").param("limit", "1"), "gold-1");
        mvc.perform(asAdmin(get("/api-keys").param("ownerId", "nobody"))).andExpect(jsonPath("$", hasSize(0)));

        badRequest(mvc.perform(asAdmin(get("/api-keys").param("ownerId", "t1", "t2"))), "ownerId");
        badRequest(mvc.perform(asAdmin(get("/api-keys").param("metadata", "tier:gold", "tier:free"))), "metadata");
        badRequest(mvc.perform(asAdmin(get("/api-keys").param("metadata", "tier"))), "metadata");
        badRequest(mvc.perform(asAdmin(get("/api-keys").param("metadata", ":gold"))), "metadata");
    }

    /** The value runs to the end: it may hold colons and commas, which a bound list would split at. */
    @Test
    void aMetadataValueInTheQueryMayHoldColonsAndCommas() throws Exception {
        service.create(NewApiKey.named("urn").withMetadata(Map.of("ref", "urn:x:1,2")));
        service.create(NewApiKey.named("other").withMetadata(Map.of("ref", "urn:x:1")));

        names(get("/api-keys").param("metadata", "ref:urn:x:1,2"), "urn");
        mvc.perform(asAdmin(get(java.net.URI.create("/api-keys?metadata=ref%3Aurn%3Ax%3A1"))))
                .andExpect(jsonPath("$[*].name", contains("other")));
    }

    @Test
    void searchAndCountFilterByOwnerAndMetadataValues() throws Exception {
        service.create(NewApiKey.named("gold-1").withOwnerId("t1").withMetadata(Map.of("tier", "gold", "beta", true)));
        service.create(NewApiKey.named("free-1").withOwnerId("t1").withMetadata(Map.of("tier", "free")));
        service.create(NewApiKey.named("gold-2").withOwnerId("t2").withMetadata(Map.of("tier", "gold")));

        mvc.perform(asAdmin(post("/api-keys/search")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"ownerId\":\"t1\",\"orderBy\":\"name\",\"orderDesc\":false}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.total").value(2))
                .andExpect(jsonPath("$.items[*].name", contains("free-1", "gold-1")));
        mvc.perform(asAdmin(post("/api-keys/count")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"metadata\":{\"tier\":\"gold\"}}"))
                .andExpect(jsonPath("$.total").value(2));
        mvc.perform(asAdmin(post("/api-keys/count")).contentType(MediaType.APPLICATION_JSON)
                        .content("{\"metadata\":{\"tier\":\"gold\",\"beta\":true},\"ownerId\":\"t1\"}"))
                .andExpect(jsonPath("$.total").value(1));
        badRequest(mvc.perform(asAdmin(post("/api-keys/count")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"metadata\":{\"tier\":{\"name\":\"gold\"}}}")), "metadata");
        badRequest(mvc.perform(asAdmin(post("/api-keys/count")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"metadata\":{\"tier\":null}}")), "metadata");
    }

    /** The checked request is described in the body; the /verify call's own address and origin do not count. */
    @Test
    void verifyChecksTheRestrictionsOfTheRequestItDescribesAndConsumesCredits() throws Exception {
        String restricted = service.create(NewApiKey.named("restricted").withAllowedIps(List.of("203.0.113.0/24"))
                .withAllowedOrigins(List.of("https://app.example.com"))).plaintext();
        String counted = service.create(NewApiKey.named("counted")
                .withCredits(1L, new CreditRefill(1, CreditRefill.Interval.DAILY))).plaintext();

        verify("{\"apiKey\":\"" + restricted + "\",\"clientAddress\":\"203.0.113.4\","
                + "\"origin\":\"https://app.example.com\"}").andExpect(status().isOk());
        problemType(verify("{\"apiKey\":\"" + restricted + "\",\"clientAddress\":\"198.51.100.4\","
                + "\"origin\":\"https://app.example.com\"}"), 403, "address-not-allowed");
        problemType(verify("{\"apiKey\":\"" + restricted + "\",\"clientAddress\":\"203.0.113.4\"}"), 403,
                "origin-not-allowed");
        problemType(verify("{\"apiKey\":\"" + restricted + "\"}"), 403, "address-not-allowed")
                .andExpect(jsonPath("$.detail").value("API key not allowed from this IP address"))
                .andExpect(content -> assertThat(content.getResponse().getContentAsString())
                        .doesNotContain("203.0.113"));
        badRequest(verify("{\"apiKey\":\"" + restricted + "\",\"clientAddress\":\"gateway.internal\"}"),
                "clientAddress");

        verify("{\"apiKey\":\"" + counted + "\"}").andExpect(status().isOk()).andExpect(jsonPath("$.remaining").value(0));
        problemType(verify("{\"apiKey\":\"" + counted + "\"}"), 429, "usage-exceeded")
                .andExpect(header().string(HttpHeaders.RETRY_AFTER, "86400"))
                .andExpect(header().doesNotExist(HttpHeaders.WWW_AUTHENTICATE));
    }

    private ResultActions verify(String json) throws Exception {
        return mvc.perform(asAdmin(post("/api-keys/verify")).contentType(MediaType.APPLICATION_JSON).content(json));
    }

    private ResultActions rotate(String id, String json) throws Exception {
        MockHttpServletRequestBuilder request = asAdmin(post("/api-keys/" + id + "/rotate"));
        if (json != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(json);
        }
        return mvc.perform(request);
    }

    private ResultActions patchOk(String id, String json) throws Exception {
        return mvc.perform(asAdmin(patch("/api-keys/" + id)).contentType(MediaType.APPLICATION_JSON).content(json))
                .andExpect(status().isOk());
    }

    private void names(MockHttpServletRequestBuilder request, String... names) throws Exception {
        mvc.perform(asAdmin(request)).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].name", containsInAnyOrder(names)))
                .andExpect(jsonPath("$[*].name", not(org.hamcrest.Matchers.hasItem("admin"))));
    }

    private static String id(UUID id) {
        return id.toString();
    }

    private static String json(ResultActions actions) throws Exception {
        return actions.andReturn().getResponse().getContentAsString();
    }

    private MockHttpServletRequestBuilder asAdmin(MockHttpServletRequestBuilder request) {
        return as(request, admin);
    }

    private static MockHttpServletRequestBuilder as(MockHttpServletRequestBuilder request, String key) {
        return request.header(HttpHeaders.AUTHORIZATION, "Bearer " + key);
    }
}
