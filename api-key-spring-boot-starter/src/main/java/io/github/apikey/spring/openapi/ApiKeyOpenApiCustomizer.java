package io.github.apikey.spring.openapi;

import io.github.apikey.core.domain.CreditRefill;
import io.github.apikey.core.service.ApiKeyRules;
import io.github.apikey.spring.web.ApiKeyController;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.SpecVersion;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.JsonSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.tags.Tag;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

import org.springdoc.core.customizers.GlobalOpenApiCustomizer;

/**
 * Describes the management API in the application's OpenAPI document exactly as it answers: every route with its
 * operation id, summary, parameters and their bounds, request bodies that refuse unknown fields, the 201 and 204
 * answers, each error as {@code application/problem+json} with one {@code ProblemDetail} schema, the admin-scope
 * requirement, and response schemas that say which fields are always present ({@code required}) and which may be
 * {@code null}. Springdoc's own inference cannot know these: it types a {@code null}-able {@code Instant} as a plain
 * string and an optional list as one that defaults to empty, which is how a generated client came to wipe a key's
 * scopes on every PATCH.
 *
 * <p>The application's own title, version and routes stay as they are; it also gets the bearer security scheme,
 * required on every route except those its security chain lets anyone call (see {@link PermittedRoutes}).
 */
public final class ApiKeyOpenApiCustomizer implements GlobalOpenApiCustomizer {

    public static final String SECURITY_SCHEME = "apiKey";
    public static final String TAG = "API keys";
    static final String PROBLEM_JSON = "application/problem+json";
    static final String JSON = "application/json";

    /** Schema names springdoc derives from the request and response records; replaced by the names below. */
    private static final Set<String> INFERRED_SCHEMAS = Set.of("Create", "Created", "Update", "Search", "Page",
            "Count", "Verify", "Refill", "Rotate", "RateLimit", "MultiValueMapStringString", "Event", "EventPage",
            "ChainReport");

    private static final String KEY = "ApiKeyPrincipal";
    private static final String CREATE = "ApiKeyCreateRequest";
    private static final String CREATED = "ApiKeyCreated";
    private static final String UPDATE = "ApiKeyUpdateRequest";
    private static final String FILTER = "ApiKeyFilter";
    private static final String PAGE = "ApiKeyPage";
    private static final String COUNT = "ApiKeyCount";
    private static final String VERIFY = "ApiKeyVerifyRequest";
    private static final String ROTATE = "ApiKeyRotateRequest";
    private static final String REFILL = "ApiKeyRefill";
    private static final String RATE_LIMIT = "ApiKeyRateLimit";
    private static final String PROBLEM = "ProblemDetail";
    private static final String EVENT = "ApiKeyEvent";
    private static final String EVENT_PAGE = "ApiKeyEventPage";
    private static final String CHAIN_REPORT = "ApiKeyEventChainReport";

    private final String basePath;
    private final String adminScope;
    private final int maxLimit;
    private final PermittedRoutes permittedRoutes;

    /**
     * @param basePath        {@code api-key.web.base-path}
     * @param adminScope      {@code api-key.admin-scope}
     * @param maxLimit        the largest page the list and search routes answer
     * @param permittedRoutes the routes the application's security chain opens to anyone
     */
    public ApiKeyOpenApiCustomizer(String basePath, String adminScope, int maxLimit, PermittedRoutes permittedRoutes) {
        this.basePath = basePath.endsWith("/") ? basePath.substring(0, basePath.length() - 1) : basePath;
        this.adminScope = adminScope;
        this.maxLimit = maxLimit;
        this.permittedRoutes = permittedRoutes;
    }

    @Override
    public void customise(OpenAPI openApi) {
        Schemas schemas = new Schemas(openApi.getSpecVersion() != SpecVersion.V30);
        if (openApi.getComponents() == null) {
            openApi.setComponents(new Components());
        }
        Components components = openApi.getComponents();
        components.addSecuritySchemes(SECURITY_SCHEME, new SecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("API key")
                .description("An API key in the Authorization header: 'Bearer ak_v1-<keyId>-<secret>'"));
        if (openApi.getSecurity() == null || openApi.getSecurity().isEmpty()) {
            openApi.addSecurityItem(new SecurityRequirement().addList(SECURITY_SCHEME));
        }
        openRoutesTheChainPermits(openApi);
        addSchemas(components, schemas);
        describeManagementApi(openApi, schemas);
        removeUnreferencedInferredSchemas(openApi);
    }

    /** Springdoc's global requirement would otherwise claim a key even where the chain asks for none. */
    private void openRoutesTheChainPermits(OpenAPI openApi) {
        if (openApi.getPaths() == null) {
            return;
        }
        openApi.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
            if (!isManagementPath(path) && permittedRoutes.permitsAnyone(method.name(), path)) {
                operation.setSecurity(new ArrayList<>());
            }
        }));
    }

    private boolean isManagementPath(String path) {
        return path.equals(basePath) || path.startsWith(basePath + "/");
    }

    private void addSchemas(Components components, Schemas s) {
        Schema<?> scope = s.string().pattern(ApiKeyRules.SCOPE_PATTERN.pattern()).maxLength(ApiKeyRules.MAX_SCOPE_LENGTH);
        Function<String, Schema<?>> scopes = description -> s.array(scope).maxItems(ApiKeyRules.MAX_SCOPES)
                .description(description);
        // Suppliers, not shared instances: nullable(...) changes the schema it is given, and a new key's name is never
        // null where a change's may be.
        Supplier<Schema<?>> name = () -> s.string().minLength(1).maxLength(ApiKeyRules.MAX_NAME_LENGTH)
                .description("Not blank; at most " + ApiKeyRules.MAX_NAME_LENGTH + " characters");
        Supplier<Schema<?>> description = () -> s.string().maxLength(ApiKeyRules.MAX_DESCRIPTION_LENGTH);

        Supplier<Schema<?>> ownerId = () -> s.string().minLength(1).maxLength(ApiKeyRules.MAX_OWNER_ID_LENGTH)
                .description("The key's owner in the application: a user or tenant id");
        Supplier<Schema<?>> metadata = () -> s.anyObject("The application's own data about the key, a JSON object "
                + "of at most api-key.metadata.max-size (4 KB by default) as compact UTF-8 JSON");
        Supplier<Schema<?>> allowedIps = () -> s.array(s.string()).maxItems(ApiKeyRules.MAX_ALLOWED_IPS)
                .description("IPv4 or IPv6 addresses or CIDR blocks (203.0.113.0/24, 2001:db8::/32) the key may be "
                        + "used from, as the server resolves the client address");
        Supplier<Schema<?>> allowedOrigins = () -> s.array(s.string()).maxItems(ApiKeyRules.MAX_ALLOWED_ORIGINS)
                .description("Web origins (https://app.example.com) the key may be used from; a request without "
                        + "an Origin header is refused");
        Supplier<Schema<?>> remaining = () -> s.integer("int64").minimum(BigDecimal.ZERO)
                .description("Uses left; each request the key passes consumes one");
        // Not uniqueItems: what must be unique is each limit's name, and generators would make the list a set.
        Supplier<Schema<?>> rateLimits = () -> s.array(s.ref(RATE_LIMIT)).maxItems(ApiKeyRules.MAX_RATE_LIMITS);

        components.addSchemas(REFILL, s.closedObject("Restores the key's credits to 'amount' at the start of each "
                        + "UTC day (DAILY) or month (MONTHLY)", "amount", "interval")
                .addProperty("amount", s.integer("int64").minimum(BigDecimal.ONE))
                .addProperty("interval", s.string()._enum(new ArrayList<>(Arrays.stream(CreditRefill.Interval.values())
                        .map(Enum::name).toList()))));

        components.addSchemas(RATE_LIMIT, s.closedObject("At most 'limit' requests in each window of 'duration'; "
                        + "each name once per key", "name", "limit", "duration")
                .addProperty("name", s.string().pattern(ApiKeyRules.RATE_LIMIT_NAME_PATTERN.pattern())
                        .description("Names the limit, as in requests or daily"))
                .addProperty("limit", s.integer("int64").minimum(BigDecimal.ONE)
                        .description("Requests per window, at most one per nanosecond of the window"))
                .addProperty("duration", s.string().format("duration").description("The window, an ISO-8601 "
                        + "duration from " + ApiKeyRules.MIN_RATE_LIMIT_WINDOW + " to P"
                        + ApiKeyRules.MAX_RATE_LIMIT_WINDOW.toDays() + "D, such as PT1M or P1D")));

        components.addSchemas(KEY, s.object("A key's public view: never its hash or secret",
                        "id", "keyId", "name", "description", "isActive", "scopes", "createdAt", "expiresAt",
                        "lastUsedAt", "ownerId", "metadata", "allowedIps", "allowedOrigins", "remaining", "refill",
                        "rateLimits", "rotatedAt", "previousSecretExpiresAt")
                .addProperty("id", s.string().format("uuid"))
                .addProperty("keyId", s.string().pattern("^[0-9a-f]{16}$")
                        .description("Public part of the key, used to look it up"))
                .addProperty("name", s.string())
                .addProperty("description", s.nullable(s.string()))
                .addProperty("isActive", s.bool())
                .addProperty("scopes", s.array(s.string()).description("Granted scopes, in grant order"))
                .addProperty("createdAt", s.dateTime())
                .addProperty("expiresAt", s.nullable(s.dateTime()).description("null: never expires"))
                .addProperty("lastUsedAt", s.nullable(s.dateTime()).description("null: never used"))
                .addProperty("ownerId", s.nullable(s.string()).description("null: no owner"))
                .addProperty("metadata", s.anyObject("The application's own data about the key; {} if none"))
                .addProperty("allowedIps", s.array(s.string())
                        .description("CIDR blocks the key may be used from; []: anywhere"))
                .addProperty("allowedOrigins", s.array(s.string())
                        .description("Web origins the key may be used from; []: any, or none"))
                .addProperty("remaining", s.nullable(s.integer("int64").minimum(BigDecimal.ZERO))
                        .description("Uses left; null: use is not counted"))
                .addProperty("refill", s.nullableRef(REFILL).description("null: credits are not refilled"))
                .addProperty("rateLimits", s.array(s.ref(RATE_LIMIT))
                        .description("The key's own rate limits; []: the configured defaults apply"))
                .addProperty("rotatedAt", s.nullable(s.dateTime()).description("null: never rotated"))
                .addProperty("previousSecretExpiresAt", s.nullable(s.dateTime())
                        .description("When the secret replaced by the last rotation stops (or stopped) working; "
                                + "null: the rotation kept none")));

        components.addSchemas(CREATE, s.closedObject("A new key", "name")
                .addProperty("name", name.get())
                .addProperty("description", s.nullable(description.get()))
                .addProperty("isActive", s.nullable(s.bool()).description("Default true"))
                .addProperty("scopes", s.nullable(scopes.apply("Default none")))
                .addProperty("expiresAt", s.nullable(s.dateTime()).description("In the future; null: never"))
                .addProperty("ownerId", s.nullable(ownerId.get()))
                .addProperty("metadata", s.nullable(metadata.get()))
                .addProperty("allowedIps", s.nullable(allowedIps.get()))
                .addProperty("allowedOrigins", s.nullable(allowedOrigins.get()))
                .addProperty("remaining", s.nullable(remaining.get())
                        .description("Uses the key has; null: not counted (or, with a refill, its amount)"))
                .addProperty("refill", s.nullableRef(REFILL).description("null: credits are not refilled"))
                .addProperty("rateLimits", s.nullable(rateLimits.get()).description("The key's own rate limits, "
                        + "each checked on every request; null or []: the configured defaults apply")));

        components.addSchemas(CREATED, s.object("The created key: its plaintext, shown this once, and its view",
                        "apiKey", "entity")
                .addProperty("apiKey", s.string().description("The full key; no other response holds it"))
                .addProperty("entity", s.ref(KEY)));

        // Every field nullable, none with a default: absent or null leaves the key's value as it is, so a client that
        // sends only what it changes (or null for the rest) never overwrites a field by accident.
        components.addSchemas(UPDATE, s.closedObject("Changes to a key: absent or null fields stay as they are")
                .addProperty("name", s.nullable(name.get()))
                .addProperty("description", s.nullable(description.get()))
                .addProperty("isActive", s.nullable(s.bool()))
                .addProperty("scopes", s.nullable(scopes.apply("Replaces every scope; [] removes them all")))
                .addProperty("expiresAt", s.nullable(s.dateTime()).description("In the future"))
                .addProperty("clearExpires", s.nullable(s.bool())
                        .description("true: the key never expires; excludes expiresAt"))
                .addProperty("ownerId", s.nullable(ownerId.get()))
                .addProperty("clearOwnerId", s.nullable(s.bool())
                        .description("true: the key has no owner; excludes ownerId"))
                .addProperty("metadata", s.nullable(metadata.get()).description("Replaces the metadata; {} clears it"))
                .addProperty("allowedIps", s.nullable(allowedIps.get()).description("Replaces them; [] lifts the "
                        + "restriction"))
                .addProperty("allowedOrigins", s.nullable(allowedOrigins.get())
                        .description("Replaces them; [] lifts the restriction"))
                .addProperty("remaining", s.nullable(remaining.get())
                        .description("Sets the uses left; starts the refill period afresh"))
                .addProperty("refill", s.nullableRef(REFILL).description("Sets the refill; on a key whose use is not "
                        + "counted yet, also sets its credits to the amount"))
                .addProperty("clearCredits", s.nullable(s.bool())
                        .description("true: use is no longer counted (no credits, no refill); excludes remaining "
                                + "and refill"))
                .addProperty("clearRefill", s.nullable(s.bool())
                        .description("true: credits are no longer refilled; excludes refill"))
                .addProperty("rateLimits", s.nullable(rateLimits.get())
                        .description("Replaces the key's own rate limits; [] returns it to the configured defaults")));

        components.addSchemas(ROTATE, s.closedObject("How long the replaced secret keeps working")
                .addProperty("gracePeriod", s.nullable(s.string().format("duration"))
                        .description("ISO-8601 duration such as PT24H, at most api-key.rotation.max-grace-period "
                                + "(30 days by default); absent, null or PT0S: the replaced secret stops at once")));

        Schema<?> filter = s.closedObject("Which keys to count or list; absent or null fields do not filter");
        filter.addProperty("isActive", s.nullable(s.bool()));
        for (String instant : List.of("expiresBefore", "expiresAfter", "createdBefore", "createdAfter",
                "lastUsedBefore", "lastUsedAfter")) {
            filter.addProperty(instant, s.nullable(s.dateTime()));
        }
        filter.addProperty("neverUsed", s.nullable(s.bool()))
                .addProperty("scopesContainAll", s.nullable(s.array(s.string())))
                .addProperty("scopesContainAny", s.nullable(s.array(s.string())))
                .addProperty("nameContains", s.nullable(s.string()).description("Ignoring case"))
                .addProperty("nameExact", s.nullable(s.string()))
                .addProperty("orderBy", s.nullable(s.string()._enum(new ArrayList<>(List.of("id", "name", "createdAt",
                        "expiresAt", "lastUsedAt", "isActive", "keyId")))).description("Default createdAt"))
                .addProperty("orderDesc", s.nullable(s.bool())._default(true))
                .addProperty("ownerId", s.nullable(s.string()).description("Keys of exactly this owner"))
                .addProperty("metadata", s.nullable(s.scalarMap("Keys whose top-level metadata fields equal these "
                        + "values; a number or boolean also matches the string of its text")));
        components.addSchemas(FILTER, filter);

        components.addSchemas(PAGE, s.object("One page of matching keys and how many match in all",
                        "items", "total", "limit", "offset")
                .addProperty("items", s.array(s.ref(KEY)))
                .addProperty("total", s.integer("int64").minimum(BigDecimal.ZERO))
                .addProperty("limit", s.integer("int32").minimum(BigDecimal.ONE))
                .addProperty("offset", s.integer("int32").minimum(BigDecimal.ZERO)));
        components.addSchemas(COUNT, s.object("How many keys match", "total")
                .addProperty("total", s.integer("int64").minimum(BigDecimal.ZERO)));
        components.addSchemas(VERIFY, s.closedObject("A key to check as the security filter would")
                .addProperty("apiKey", s.nullable(s.string()).description("null or absent: answered 401 missing"))
                .addProperty("requiredScopes", s.nullable(s.array(s.string())))
                .addProperty("clientAddress", s.nullable(s.string()).description("The IPv4 or IPv6 address the "
                        + "checked request came from; null: unknown, which a key restricted to IP ranges refuses"))
                .addProperty("origin", s.nullable(s.string()).description("The checked request's Origin header; "
                        + "null: none, which a key restricted to origins refuses")));

        Schema<?> hash = s.string().pattern("^[0-9a-f]{64}$");
        components.addSchemas(EVENT, s.object("A recorded management operation and its link in the audit hash chain; "
                        + "never a secret or a key hash", "sequence", "occurredAt", "action", "outcome", "apiKeyId",
                        "keyId", "actorType", "actor", "clientAddress", "details", "previousHash", "hash")
                .addProperty("sequence", s.integer("int64").minimum(BigDecimal.ONE)
                        .description("Place in the chain, from 1, without gaps"))
                .addProperty("occurredAt", s.dateTime())
                .addProperty("action", s.string()._enum(new ArrayList<>(List.of("create", "import", "update",
                        "activate", "deactivate", "rotate", "delete", "bootstrap", "purge"))))
                .addProperty("outcome", s.string()._enum(new ArrayList<>(List.of("success", "not_found", "invalid",
                        "conflict"))))
                .addProperty("apiKeyId", s.nullable(s.string().format("uuid"))
                        .description("The key's id; null: the operation named none"))
                .addProperty("keyId", s.nullable(s.string().pattern("^[0-9a-f]{16}$"))
                        .description("The key's public key id; null: unknown"))
                .addProperty("actorType", s.string()._enum(new ArrayList<>(List.of("api-key", "user", "system"))))
                .addProperty("actor", s.string().description("The acting key's key id, a user name, or system"))
                .addProperty("clientAddress", s.nullable(s.string())
                        .description("The request's client address; null: none (start-up, scheduled work)"))
                .addProperty("details", s.anyObject("What the operation set: the changed fields and their new values "
                        + "(update), the stored fields (create), the field at fault (invalid), the anchor (purge)"))
                .addProperty("previousHash", hash.description("SHA-256 of the event before; 64 zeros for the first"))
                .addProperty("hash", s.string().pattern("^[0-9a-f]{64}$")
                        .description("SHA-256 of this event's canonical form (see the README's Audit trail)")));
        components.addSchemas(EVENT_PAGE, s.object("One page of audit events, newest first, and how many match in all",
                        "items", "total", "limit", "offset")
                .addProperty("items", s.array(s.ref(EVENT)))
                .addProperty("total", s.integer("int64").minimum(BigDecimal.ZERO))
                .addProperty("limit", s.integer("int32").minimum(BigDecimal.ONE))
                .addProperty("offset", s.integer("int32").minimum(BigDecimal.ZERO)));
        components.addSchemas(CHAIN_REPORT, s.object("Whether the audit chain holds from its oldest stored event",
                        "valid", "checked", "firstSequence", "lastSequence", "brokenAt", "problem")
                .addProperty("valid", s.bool())
                .addProperty("checked", s.integer("int64").minimum(BigDecimal.ZERO))
                .addProperty("firstSequence", s.nullable(s.integer("int64")))
                .addProperty("lastSequence", s.nullable(s.integer("int64")))
                .addProperty("brokenAt", s.nullable(s.integer("int64"))
                        .description("The first event whose link does not hold (or the first missing one); null: valid"))
                .addProperty("problem", s.nullable(s.string()).description("What is wrong there; null: valid")));

        components.addSchemas(PROBLEM, s.object("RFC 9457 problem", "title", "status", "detail")
                .addProperty("type", s.string().format("uri")
                        .description("The kind of error, urn:api-key:problem:<kind>; absent: about:blank"))
                .addProperty("title", s.string())
                .addProperty("status", s.integer("int32"))
                .addProperty("detail", s.string())
                .addProperty("instance", s.string().format("uri-reference"))
                .addProperty("field", s.string().description("On a 400: the field at fault ('body': the whole body)"))
                .addProperty("missingScopes", s.array(s.string())
                        .description("On a 403 for lacking scopes: the scopes the key lacks")));
    }

    private void describeManagementApi(OpenAPI openApi, Schemas s) {
        if (openApi.getPaths() == null) {
            return;
        }
        boolean present = false;
        for (Map.Entry<String, PathItem> entry : openApi.getPaths().entrySet()) {
            if (isManagementPath(entry.getKey())) {
                present = true;
                describe(entry.getKey(), entry.getValue(), s);
            }
        }
        if (!present) {
            return;
        }
        if (openApi.getTags() == null || openApi.getTags().stream().noneMatch(tag -> TAG.equals(tag.getName()))) {
            openApi.addTagsItem(new Tag().name(TAG).description("Issue, list, change and verify API keys"));
        }
        if (openApi.getTags() != null) {
            openApi.getTags().removeIf(tag -> "api-key-controller".equals(tag.getName()));
        }
    }

    private void describe(String path, PathItem item, Schemas s) {
        String route = path.substring(basePath.length());
        switch (route) {
            case "" -> {
                item.setPost(operation("createApiKey", "Create a key")
                        .requestBody(body(CREATE, true, s))
                        .responses(errors(s, 400).addApiResponse("201", new ApiResponse()
                                .description("Created; with a rotation's answer, the only response that holds the "
                                        + "plaintext key")
                                .addHeaderObject("Location", new Header().required(true)
                                        .description("URL of the new key").schema(s.string().format("uri")))
                                .addHeaderObject("Cache-Control", noStore(s))
                                .content(json(s.ref(CREATED))))));
                item.setGet(operation("listApiKeys", "List keys, newest first")
                        .parameters(listParameters(s))
                        .responses(errors(s, 400).addApiResponse("200", ok(s.array(s.ref(KEY)), "The page of keys"))));
            }
            case "/{id}" -> {
                item.setGet(operation("getApiKey", "Get a key").parameters(id(s))
                        .responses(errors(s, 400, 404).addApiResponse("200", ok(s.ref(KEY), "The key"))));
                item.setPatch(operation("updateApiKey", "Change a key's fields").parameters(id(s))
                        .requestBody(body(UPDATE, true, s))
                        .responses(errors(s, 400, 404).addApiResponse("200", ok(s.ref(KEY), "The changed key"))));
                item.setDelete(operation("deleteApiKey", "Delete a key").parameters(id(s))
                        .responses(errors(s, 400, 404).addApiResponse("204", new ApiResponse().description("Deleted"))));
            }
            case "/{id}/rotate" -> item.setPost(operation("rotateApiKey", "Replace a key's secret")
                    .description("Keeps the key's id and key id, name, scopes, owner, restrictions and credits; the "
                            + "replaced secret keeps working for the grace period, and a previous secret still in "
                            + "an earlier rotation's grace period stops at once.")
                    .parameters(id(s)).requestBody(body(ROTATE, false, s))
                    .responses(errors(s, 400, 404).addApiResponse("200", ok(s.ref(CREATED),
                            "The new plaintext key, shown this once, and the key's view")
                            .addHeaderObject("Cache-Control", noStore(s)))));
            case "/{id}/activate" -> item.setPost(operation("activateApiKey", "Activate a key (idempotent)")
                    .parameters(id(s))
                    .responses(errors(s, 400, 404).addApiResponse("200", ok(s.ref(KEY), "The active key"))));
            case "/{id}/deactivate" -> item.setPost(operation("deactivateApiKey", "Deactivate a key (idempotent)")
                    .parameters(id(s))
                    .responses(errors(s, 400, 404).addApiResponse("200", ok(s.ref(KEY), "The inactive key"))));
            case "/search" -> item.setPost(operation("searchApiKeys", "Find keys by a filter, one page at a time")
                    .parameters(page(s)).requestBody(body(FILTER, false, s))
                    .responses(errors(s, 400).addApiResponse("200", ok(s.ref(PAGE), "The page and the total"))));
            case "/count" -> item.setPost(operation("countApiKeys", "Count keys matching a filter")
                    .requestBody(body(FILTER, false, s))
                    .responses(errors(s, 400).addApiResponse("200", ok(s.ref(COUNT), "The number of keys"))));
            case "/events" -> item.setGet(operation("listApiKeyEvents", "List audit events, newest first")
                    .description("Every management operation is recorded, with its outcome; 404 when the audit "
                            + "trail is off.")
                    .parameters(eventParameters(s, true))
                    .responses(errors(s, 400, 404).addApiResponse("200", ok(s.ref(EVENT_PAGE),
                            "The page of events and the total"))));
            case "/{id}/events" -> item.setGet(operation("listApiKeyEventsOfKey",
                    "List the audit events of one key, newest first")
                    .description("Also after the key was deleted; an unknown id has no events.")
                    .parameters(eventParameters(s, false))
                    .responses(errors(s, 400, 404).addApiResponse("200", ok(s.ref(EVENT_PAGE),
                            "The page of events and the total"))));
            case "/events/verify" -> item.setGet(operation("verifyApiKeyEvents", "Check the audit hash chain")
                    .description("Recomputes every event's hash and link from the oldest stored event (the start of "
                            + "the chain, or the purge that deleted the ones before it) to the chain head, and "
                            + "reports the first broken link: an edited or deleted event.")
                    .responses(errors(s, 404).addApiResponse("200", ok(s.ref(CHAIN_REPORT), "The outcome"))));
            case "/verify" -> item.setPost(operation("verifyApiKey", "Check a key as the security filter would")
                    .description("Records the key's use when it passes. A refused key is answered with the 401 or 403 "
                            + "problem the security filter would give it.")
                    .requestBody(body(VERIFY, true, s))
                    .responses(errors(s, 400).addApiResponse("200", ok(s.ref(KEY), "The key, usable"))));
            default -> {
                // A route added to the controller without a description here keeps springdoc's; the contract tests
                // of this project would notice.
            }
        }
    }

    private Operation operation(String operationId, String summary) {
        return new Operation().operationId(operationId).summary(summary).tags(new ArrayList<>(List.of(TAG)))
                .security(new ArrayList<>(List.of(new SecurityRequirement().addList(SECURITY_SCHEME, adminScope))));
    }

    private static RequestBody body(String schema, boolean required, Schemas s) {
        return new RequestBody().required(required).content(json(s.ref(schema)));
    }

    private static Content json(Schema<?> schema) {
        return new Content().addMediaType(JSON, new MediaType().schema(schema));
    }

    private static ApiResponse ok(Schema<?> schema, String description) {
        return new ApiResponse().description(description).content(json(schema));
    }

    private List<Parameter> id(Schemas s) {
        return new ArrayList<>(List.of(new Parameter().in("path").name("id").required(true)
                .description("The key's id").schema(s.string().format("uuid"))));
    }

    private static Header noStore(Schemas s) {
        return new Header().required(true).description("no-store: the plaintext key must not be kept in any cache")
                .schema(s.string());
    }

    /**
     * A page, and the owner and metadata criteria: {@code ?ownerId=u1&metadata=tier:gold&metadata=seats:5}. Repeated
     * {@code name:value} strings rather than a {@code deepObject} map ({@code metadata[tier]=gold}), which Java clients
     * generated from the document cannot send (OpenAPITools/openapi-generator#19019).
     */
    private List<Parameter> listParameters(Schemas s) {
        List<Parameter> parameters = page(s);
        parameters.add(new Parameter().in("query").name("ownerId").required(false)
                .description("Keys of exactly this owner").schema(s.string()));
        parameters.add(new Parameter().in("query").name("metadata").required(false)
                .style(Parameter.StyleEnum.FORM).explode(true)
                .description("Keys whose top-level metadata field has this text, as name:value (metadata=tier:gold; "
                        + "the name ends at the first colon); repeat for more fields, all of which must match")
                .schema(s.array(s.string().pattern(ApiKeyController.METADATA_CRITERION_PATTERN))));
        return parameters;
    }

    /** The filters of the event routes, and a page; the key's id as a path parameter or a query filter. */
    private List<Parameter> eventParameters(Schemas s, boolean keyFilter) {
        List<Parameter> parameters = keyFilter ? new ArrayList<>() : id(s);
        if (keyFilter) {
            parameters.add(new Parameter().in("query").name("apiKeyId").required(false)
                    .description("Events of this key").schema(s.string().format("uuid")));
        }
        parameters.add(new Parameter().in("query").name("action").required(false).description("Events of this action")
                .schema(s.string()._enum(new ArrayList<>(List.of("create", "import", "update", "activate",
                        "deactivate", "rotate", "delete", "bootstrap", "purge")))));
        parameters.add(new Parameter().in("query").name("actor").required(false)
                .description("Events of this actor: a key id, a user name, or system").schema(s.string()));
        parameters.add(new Parameter().in("query").name("from").required(false)
                .description("Events at or after this time").schema(s.dateTime()));
        parameters.add(new Parameter().in("query").name("to").required(false)
                .description("Events before this time").schema(s.dateTime()));
        parameters.addAll(page(s));
        return parameters;
    }

    private List<Parameter> page(Schemas s) {
        return new ArrayList<>(List.of(
                new Parameter().in("query").name("offset").required(false).description("Keys to skip")
                        .schema(s.integer("int32").minimum(BigDecimal.ZERO)._default(0)),
                new Parameter().in("query").name("limit").required(false).description("Most keys to answer")
                        .schema(s.integer("int32").minimum(BigDecimal.ONE).maximum(BigDecimal.valueOf(maxLimit))
                                ._default(50))));
    }

    /** The errors every management route can answer, plus {@code statuses}. */
    private static ApiResponses errors(Schemas s, int... statuses) {
        Map<Integer, ApiResponse> answers = new java.util.TreeMap<>();
        for (int status : statuses) {
            answers.put(status, problem(s, switch (status) {
                case 400 -> "Bad input: 'field' names the field at fault";
                case 404 -> "No key with this id (event routes: the audit trail is off)";
                default -> throw new IllegalArgumentException("status " + status);
            }));
        }
        answers.put(401, problem(s, "No key, or a key that is not valid (or, for /verify, the checked key's)")
                .addHeaderObject("WWW-Authenticate", new Header().required(true).schema(s.string())));
        answers.put(403, problem(s, "A key without the admin scope, or inactive, or expired, or used from an "
                + "address or origin it does not allow; 'missingScopes' names the scopes it lacks"));
        answers.put(429, problem(s, "A key that has used up its credits (usage-exceeded) or spent the budget of "
                + "one of its rate limits (rate-limited)")
                .addHeaderObject("Retry-After", new Header()
                        .description("Seconds until the key's credits are refilled, or until its rate limit allows a "
                                + "request again; absent: credits that are not refilled")
                        .schema(s.integer("int64"))));
        answers.put(503, problem(s, "Keys cannot be verified or stored right now")
                .addHeaderObject("Retry-After", new Header().description("Seconds to wait").schema(s.integer("int32"))));
        ApiResponses responses = new ApiResponses();
        answers.forEach((status, response) -> responses.addApiResponse(String.valueOf(status), response));
        return responses;
    }

    private static ApiResponse problem(Schemas s, String description) {
        return new ApiResponse().description(description)
                .content(new Content().addMediaType(PROBLEM_JSON, new MediaType().schema(s.ref(PROBLEM))));
    }

    /** Repeated until none is left, since one inferred schema may be referenced only by another one. */
    private static void removeUnreferencedInferredSchemas(OpenAPI openApi) {
        Map<String, Schema> schemas = openApi.getComponents().getSchemas();
        if (schemas == null) {
            return;
        }
        boolean removed = true;
        while (removed) {
            String document = io.swagger.v3.core.util.Json31.pretty(openApi);
            if (document == null) {
                return;
            }
            removed = false;
            for (String name : INFERRED_SCHEMAS) {
                if (schemas.containsKey(name) && !document.contains("\"#/components/schemas/" + name + "\"")) {
                    schemas.remove(name);
                    removed = true;
                }
            }
        }
    }

    /** Schemas in the document's version of JSON Schema: OpenAPI 3.1 says {@code null} with a type, 3.0 with a flag. */
    static final class Schemas {

        private final boolean openApi31;

        Schemas(boolean openApi31) {
            this.openApi31 = openApi31;
        }

        Schema<Object> typed(String type) {
            Schema<Object> schema = openApi31 ? new JsonSchema() : new Schema<>();
            if (openApi31) {
                schema.types(new LinkedHashSet<>(List.of(type)));
            }
            schema.type(type);
            return schema;
        }

        Schema<Object> string() {
            return typed("string");
        }

        Schema<Object> bool() {
            return typed("boolean");
        }

        Schema<Object> integer(String format) {
            return typed("integer").format(format);
        }

        Schema<Object> dateTime() {
            return string().format("date-time");
        }

        Schema<Object> array(Schema<?> items) {
            Schema<Object> array = typed("array");
            array.setItems(items);
            return array;
        }

        Schema<Object> ref(String name) {
            Schema<Object> schema = openApi31 ? new JsonSchema() : new Schema<>();
            return schema.$ref("#/components/schemas/" + name);
        }

        /** A JSON object with any members. */
        Schema<Object> anyObject(String description) {
            Schema<Object> object = typed("object").description(description);
            object.setAdditionalProperties(Boolean.TRUE);
            return object;
        }

        /** A JSON object whose members are strings, numbers or booleans. */
        Schema<Object> scalarMap(String description) {
            Schema<Object> scalar;
            if (openApi31) {
                scalar = new JsonSchema();
                scalar.types(new LinkedHashSet<>(List.of("string", "number", "boolean")));
            } else {
                scalar = new Schema<>();
                scalar.anyOf(new ArrayList<>(List.of(string(), typed("number"), bool())));
            }
            Schema<Object> object = typed("object").description(description);
            object.setAdditionalProperties(scalar);
            return object;
        }

        /**
         * A reference that may be {@code null}: a {@code $ref} cannot carry a type of its own, so OpenAPI 3.1 says
         * it with {@code anyOf}, 3.0 with a nullable {@code allOf}.
         */
        Schema<Object> nullableRef(String name) {
            Schema<Object> schema = openApi31 ? new JsonSchema() : new Schema<>();
            if (openApi31) {
                schema.anyOf(new ArrayList<>(List.of(ref(name), typed("null"))));
            } else {
                schema.allOf(new ArrayList<>(List.of(ref(name))));
                schema.setNullable(true);
            }
            return schema;
        }

        /** An object whose {@code required} fields are always present (possibly {@code null}). */
        Schema<Object> object(String description, String... required) {
            Schema<Object> object = typed("object").description(description);
            if (required.length > 0) {
                object.required(new ArrayList<>(List.of(required)));
            }
            return object;
        }

        /** A request body: a field it does not list is answered 400, so the document says none is allowed. */
        Schema<Object> closedObject(String description, String... required) {
            Schema<Object> object = object(description, required);
            object.setAdditionalProperties(Boolean.FALSE);
            return object;
        }

        <T> Schema<T> nullable(Schema<T> schema) {
            if (openApi31) {
                Set<String> types = new LinkedHashSet<>(schema.getTypes());
                types.add("null");
                schema.setTypes(types);
                if (schema.getEnum() != null && !schema.getEnum().contains(null)) {
                    schema.getEnum().add(null);
                }
            } else {
                schema.setNullable(true);
            }
            return schema;
        }
    }
}
