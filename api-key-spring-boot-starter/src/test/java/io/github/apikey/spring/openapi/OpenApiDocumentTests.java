package io.github.apikey.spring.openapi;

import io.github.apikey.spring.openapi.app.OpenApiApplication;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The facts of the OpenAPI document that a client generator relies on, read from the live document. */
@SpringBootTest(classes = OpenApiApplication.class, properties = {"api-key.pepper=openapi-document-pepper-0123456789",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class OpenApiDocumentTests {

    private static final String MANAGEMENT = "/api-keys";
    private static final List<String> KEY_FIELDS = List.of("id", "keyId", "name", "description", "isActive",
            "scopes", "createdAt", "expiresAt", "lastUsedAt", "ownerId", "metadata", "allowedIps", "allowedOrigins",
            "remaining", "refill", "rateLimits", "rotatedAt", "previousSecretExpiresAt");
    private static final List<String> LIFECYCLE_FIELDS = List.of("ownerId", "metadata", "allowedIps",
            "allowedOrigins", "remaining", "refill", "rateLimits");

    @Autowired
    MockMvc mvc;

    private DocumentContext document;

    @BeforeEach
    void readDocument() throws Exception {
        document = JsonPath.parse(mvc.perform(get("/v3/api-docs")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
    }

    private <T> T read(String path) {
        return document.read(path);
    }

    @Test
    void keyViewSaysWhatIsAlwaysThereAndWhatMayBeNull() {
        String key = "$.components.schemas.ApiKeyPrincipal";
        assertThat(this.<List<String>>read(key + ".required")).containsExactlyInAnyOrderElementsOf(KEY_FIELDS);
        for (String nullable : List.of("description", "expiresAt", "lastUsedAt", "ownerId", "rotatedAt",
                "previousSecretExpiresAt")) {
            assertThat(this.<List<String>>read(key + ".properties." + nullable + ".type"))
                    .as(nullable).containsExactly("string", "null");
        }
        assertThat(this.<List<String>>read(key + ".properties.remaining.type")).containsExactly("integer", "null");
        assertThat(this.<String>read(key + ".properties.refill.anyOf[0].$ref"))
                .isEqualTo("#/components/schemas/ApiKeyRefill");
        assertThat(this.<String>read(key + ".properties.refill.anyOf[1].type")).isEqualTo("null");
        for (String present : List.of("metadata", "allowedIps", "allowedOrigins", "rateLimits")) {
            assertThat(this.<Object>read(key + ".properties." + present + ".type")).as(present)
                    .isIn("object", "array");
        }
        assertThat(this.<Boolean>read(key + ".properties.metadata.additionalProperties")).isTrue();
        assertThat(this.<Map<String, Object>>read(key + ".properties").keySet())
                .noneMatch(field -> field.toLowerCase(java.util.Locale.ROOT).contains("hash"));
        for (String present : List.of("id", "keyId", "name", "createdAt")) {
            assertThat(this.<Object>read(key + ".properties." + present + ".type")).as(present)
                    .isIn("string", List.of("string"));
        }
        assertThat(this.<String>read(key + ".properties.createdAt.format")).isEqualTo("date-time");
        assertThat(this.<String>read(key + ".properties.id.format")).isEqualTo("uuid");
    }

    /** A generated client sends every array it has; an array that defaults to empty wiped a key's scopes. */
    @Test
    @SuppressWarnings("unchecked")
    void patchFieldsAreNullableWithoutDefaults() {
        Map<String, Map<String, Object>> update = read("$.components.schemas.ApiKeyUpdateRequest.properties");
        assertThat(update).containsOnlyKeys("name", "description", "isActive", "scopes", "expiresAt", "clearExpires",
                "ownerId", "clearOwnerId", "metadata", "allowedIps", "allowedOrigins", "remaining", "refill",
                "clearCredits", "clearRefill", "rateLimits");
        update.forEach((field, schema) -> {
            List<Object> types = schema.containsKey("anyOf")
                    ? ((List<Map<String, Object>>) schema.get("anyOf")).stream()
                            .map(option -> option.containsKey("type") ? option.get("type") : option.get("$ref"))
                            .toList()
                    : (List<Object>) schema.get("type");
            assertThat(types).as(field).contains("null");
            assertThat(schema).as(field).doesNotContainKey("default");
        });
        assertThat(this.<Object>read("$.components.schemas.ApiKeyUpdateRequest")).asString().doesNotContain("required");
    }

    @Test
    void requestBodiesCarryTheirConstraintsAndRefuseOtherFields() {
        String create = "$.components.schemas.ApiKeyCreateRequest";
        assertThat(this.<List<String>>read(create + ".required")).containsExactly("name");
        assertThat(this.<Object>read(create + ".properties.name.type")).as("a new key's name is never null")
                .isIn("string", List.of("string"));
        assertThat(this.<Boolean>read(create + ".additionalProperties")).isFalse();
        assertThat(this.<Integer>read(create + ".properties.name.maxLength")).isEqualTo(128);
        assertThat(this.<Integer>read(create + ".properties.name.minLength")).isEqualTo(1);
        assertThat(this.<Integer>read(create + ".properties.description.maxLength")).isEqualTo(1024);
        assertThat(this.<Integer>read(create + ".properties.scopes.maxItems")).isEqualTo(32);
        assertThat(this.<Integer>read(create + ".properties.scopes.items.maxLength")).isEqualTo(64);
        assertThat(this.<String>read(create + ".properties.scopes.items.pattern")).isEqualTo("^[a-z][a-z0-9:_-]*$");
        assertThat(this.<Map<String, Object>>read(create + ".properties")).containsKeys(LIFECYCLE_FIELDS.toArray(String[]::new));
        assertThat(this.<Integer>read(create + ".properties.ownerId.maxLength")).isEqualTo(128);
        assertThat(this.<Integer>read(create + ".properties.allowedIps.maxItems")).isEqualTo(64);
        assertThat(this.<Integer>read(create + ".properties.allowedOrigins.maxItems")).isEqualTo(32);
        assertThat(this.<Integer>read(create + ".properties.remaining.minimum")).isZero();
        String refill = "$.components.schemas.ApiKeyRefill";
        assertThat(this.<List<String>>read(refill + ".required")).containsExactly("amount", "interval");
        assertThat(this.<List<String>>read(refill + ".properties.interval.enum")).containsExactly("DAILY", "MONTHLY");
        assertThat(this.<Integer>read(refill + ".properties.amount.minimum")).isEqualTo(1);
        for (String body : List.of("ApiKeyUpdateRequest", "ApiKeyFilter", "ApiKeyVerifyRequest", "ApiKeyRotateRequest",
                "ApiKeyRefill", "ApiKeyRateLimit")) {
            assertThat(this.<Boolean>read("$.components.schemas." + body + ".additionalProperties")).as(body).isFalse();
        }
        String filter = "$.components.schemas.ApiKeyFilter.properties";
        assertThat(this.<List<String>>read(filter + ".orderBy.enum")).contains("id", "name", "createdAt",
                "expiresAt", "lastUsedAt", "isActive", "keyId");
        assertThat(this.<Boolean>read(filter + ".orderDesc.default")).isTrue();
        assertThat(this.<Map<String, Object>>read(filter)).containsKeys("ownerId", "metadata");
        assertThat(this.<List<String>>read(filter + ".metadata.additionalProperties.type"))
                .containsExactly("string", "number", "boolean");
        assertThat(this.<Map<String, Object>>read("$.components.schemas.ApiKeyVerifyRequest.properties"))
                .containsKeys("clientAddress", "origin");
        assertThat(this.<String>read("$.components.schemas.ApiKeyRotateRequest.properties.gracePeriod.format"))
                .isEqualTo("duration");
    }

    /** The rules ApiKeyRules applies, so that a generated client's own validation agrees with the server's. */
    @Test
    void rateLimitsAreBoundedListsOfNamedWindowsInTheViewAndBothBodies() {
        String limit = "$.components.schemas.ApiKeyRateLimit";
        assertThat(this.<List<String>>read(limit + ".required")).containsExactlyInAnyOrder("name", "limit", "duration");
        assertThat(this.<String>read(limit + ".properties.name.pattern")).isEqualTo("^[a-z][a-z0-9_-]{0,31}$");
        assertThat(this.<Integer>read(limit + ".properties.limit.minimum")).isEqualTo(1);
        assertThat(this.<String>read(limit + ".properties.limit.format")).isEqualTo("int64");
        assertThat(this.<String>read(limit + ".properties.duration.format")).isEqualTo("duration");
        assertThat(this.<String>read(limit + ".properties.duration.description")).contains("PT1S", "P366D");
        for (String body : List.of("ApiKeyCreateRequest", "ApiKeyUpdateRequest")) {
            String limits = "$.components.schemas." + body + ".properties.rateLimits";
            assertThat(this.<List<String>>read(limits + ".type")).as(body).containsExactly("array", "null");
            assertThat(this.<Integer>read(limits + ".maxItems")).as(body).isEqualTo(8);
            assertThat(this.<String>read(limits + ".items.$ref")).isEqualTo("#/components/schemas/ApiKeyRateLimit");
        }
        String view = "$.components.schemas.ApiKeyPrincipal.properties.rateLimits";
        assertThat(this.<Object>read(view + ".type")).as("never null in the view").isIn("array", List.of("array"));
        assertThat(this.<String>read(view + ".items.$ref")).isEqualTo("#/components/schemas/ApiKeyRateLimit");
    }

    @Test
    void theListTakesOwnerAndRepeatedMetadataCriteria() {
        String list = "$.paths['/api-keys'].get.parameters";
        Map<String, Object> metadata = this.<List<Map<String, Object>>>read(list + "[?(@.name=='metadata')]").get(0);
        assertThat(metadata).containsEntry("in", "query").containsEntry("style", "form")
                .containsEntry("explode", true);
        assertThat(metadata).extractingByKey("schema").asString().contains("^[^:]+:.*$");
        assertThat(this.<List<Object>>read(list + "[?(@.name=='ownerId')]")).hasSize(1);
    }

    @Test
    void rotationAnswersTheCreatesShapeUncachedAndExhaustedKeysA429WithRetryAfter() {
        String rotate = "$.paths['/api-keys/{id}/rotate'].post";
        assertThat(this.<Boolean>read(rotate + ".requestBody.required")).isFalse();
        assertThat(this.<String>read(rotate + ".responses['200'].content['application/json'].schema.$ref"))
                .isEqualTo("#/components/schemas/ApiKeyCreated");
        assertThat(this.<Boolean>read(rotate + ".responses['200'].headers.Cache-Control.required")).isTrue();
        assertThat(this.<Boolean>read("$.paths['/api-keys'].post.responses['201'].headers.Cache-Control.required"))
                .isTrue();
        assertThat(this.<Map<String, Object>>read(rotate + ".responses")).containsKeys("400", "404")
                .doesNotContainKey("201");
        assertThat(this.<Object>read("$.paths['/api-keys/{id}'].get.responses['429'].headers")).asString()
                .contains("Retry-After");
        assertThat(this.<String>read("$.paths['/api-keys/{id}'].get.responses['429'].description"))
                .contains("usage-exceeded", "rate-limited");
    }

    @Test
    void pagesAreBounded() {
        for (String path : List.of("$.paths['/api-keys'].get", "$.paths['/api-keys/search'].post")) {
            Map<String, Object> limit = this.<List<Map<String, Object>>>read(path + ".parameters[?(@.name=='limit')].schema").get(0);
            Map<String, Object> offset = this.<List<Map<String, Object>>>read(path + ".parameters[?(@.name=='offset')].schema").get(0);
            assertThat(limit).containsEntry("minimum", 1).containsEntry("maximum", 100).containsEntry("default", 50);
            assertThat(offset).containsEntry("minimum", 0).containsEntry("default", 0);
        }
    }

    @Test
    void everyManagementRouteHasItsTagIdSummaryStatusesAndTheAdminScope() {
        Map<String, String> operationIds = Map.ofEntries(
                Map.entry("post /api-keys", "createApiKey"),
                Map.entry("get /api-keys", "listApiKeys"),
                Map.entry("get /api-keys/{id}", "getApiKey"),
                Map.entry("patch /api-keys/{id}", "updateApiKey"),
                Map.entry("delete /api-keys/{id}", "deleteApiKey"),
                Map.entry("post /api-keys/{id}/activate", "activateApiKey"),
                Map.entry("post /api-keys/{id}/deactivate", "deactivateApiKey"),
                Map.entry("post /api-keys/search", "searchApiKeys"),
                Map.entry("post /api-keys/count", "countApiKeys"),
                Map.entry("post /api-keys/verify", "verifyApiKey"),
                Map.entry("post /api-keys/{id}/rotate", "rotateApiKey"),
                Map.entry("get /api-keys/events", "listApiKeyEvents"),
                Map.entry("get /api-keys/{id}/events", "listApiKeyEventsOfKey"),
                Map.entry("get /api-keys/events/verify", "verifyApiKeyEvents"));
        Map<String, Map<String, Object>> paths = read("$.paths");
        assertThat(paths.keySet().stream().filter(path -> path.startsWith(MANAGEMENT)))
                .containsExactlyInAnyOrder("/api-keys", "/api-keys/{id}", "/api-keys/{id}/activate",
                        "/api-keys/{id}/deactivate", "/api-keys/{id}/rotate", "/api-keys/search", "/api-keys/count",
                        "/api-keys/verify", "/api-keys/events", "/api-keys/{id}/events", "/api-keys/events/verify");
        operationIds.forEach((route, operationId) -> {
            String[] methodAndPath = route.split(" ");
            String operation = "$.paths['" + methodAndPath[1] + "']." + methodAndPath[0];
            assertThat(this.<String>read(operation + ".operationId")).isEqualTo(operationId);
            assertThat(this.<String>read(operation + ".summary")).as(route).isNotBlank();
            assertThat(this.<List<String>>read(operation + ".tags")).containsExactly("API keys");
            assertThat(this.<List<Map<String, List<String>>>>read(operation + ".security"))
                    .containsExactly(Map.of("apiKey", List.of("api-keys:admin")));
            Map<String, Map<String, Object>> responses = read(operation + ".responses");
            // The chain's check takes no input, so it has no 400.
            assertThat(responses).as(route).containsKeys("401", "403", "429", "503");
            if (!operationId.equals("verifyApiKeyEvents")) {
                assertThat(responses).as(route).containsKey("400");
            }
            responses.forEach((status, response) -> {
                if (status.startsWith("4") || status.startsWith("5")) {
                    assertThat(this.<String>read(operation + ".responses['" + status
                            + "'].content['application/problem+json'].schema.$ref")).as(route + " " + status)
                            .isEqualTo("#/components/schemas/ProblemDetail");
                }
            });
            assertThat(this.<Object>read(operation + ".responses['401'].headers")).asString()
                    .contains("WWW-Authenticate");
        });
        assertThat(this.<Map<String, Object>>read("$.paths['/api-keys'].post.responses")).containsKey("201")
                .doesNotContainKey("200");
        assertThat(this.<Boolean>read("$.paths['/api-keys'].post.responses['201'].headers.Location.required")).isTrue();
        assertThat(this.<Map<String, Object>>read("$.paths['/api-keys/{id}'].delete.responses")).containsKey("204")
                .doesNotContainKey("200");
        assertThat(this.<Map<String, Object>>read("$.paths['/api-keys/{id}'].get.responses")).containsKey("404");
        assertThat(this.<List<Map<String, Object>>>read("$.tags[?(@.name=='API keys')]")).hasSize(1);
        assertThat(this.<List<Object>>read("$.tags[?(@.name=='api-key-controller')]")).isEmpty();
    }

    @Test
    void oneProblemSchemaNamesTheFieldAndTheMissingScopes() {
        Map<String, Object> problem = read("$.components.schemas.ProblemDetail.properties");
        assertThat(problem).containsKeys("type", "title", "status", "detail", "instance", "field", "missingScopes");
    }

    @Test
    void routesTheChainOpensNeedNoKeyAndTheCallerIsNoParameter() {
        assertThat(this.<List<Object>>read("$.paths['/status'].get.security")).isEmpty();
        assertThat(this.<List<Map<String, List<String>>>>read("$.security"))
                .containsExactly(Map.of("apiKey", List.of()));
        Map<String, Object> me = read("$.paths['/me'].get");
        assertThat(me).doesNotContainKey("security").doesNotContainKey("parameters");
        assertThat(this.<String>read("$.components.securitySchemes.apiKey.scheme")).isEqualTo("bearer");
    }

    @Test
    void schemasInferredFromTheRecordsAreGone() {
        assertThat(this.<Map<String, Object>>read("$.components.schemas"))
                .doesNotContainKeys("Create", "Created", "Update", "Search", "Page", "Count", "Verify", "Refill",
                        "Rotate", "RateLimit");
    }

    @Test
    void theYamlDocumentIsServedToo() throws Exception {
        mvc.perform(get("/v3/api-docs.yaml")).andExpect(status().isOk());
    }
}
