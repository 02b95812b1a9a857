package io.github.apikey.contract;

import io.github.apikey.contractclient.ApiClient;
import io.github.apikey.contractclient.ApiException;
import io.github.apikey.contractclient.api.ApiKeysApi;
import io.github.apikey.contractclient.model.ApiKeyCreateRequest;
import io.github.apikey.contractclient.model.ApiKeyCreated;
import io.github.apikey.contractclient.model.ApiKeyEvent;
import io.github.apikey.contractclient.model.ApiKeyEventChainReport;
import io.github.apikey.contractclient.model.ApiKeyEventPage;
import io.github.apikey.contractclient.model.ApiKeyFilter;
import io.github.apikey.contractclient.model.ApiKeyFilterMetadataValue;
import io.github.apikey.contractclient.model.ApiKeyPage;
import io.github.apikey.contractclient.model.ApiKeyPrincipal;
import io.github.apikey.contractclient.model.ApiKeyRateLimit;
import io.github.apikey.contractclient.model.ApiKeyRefill;
import io.github.apikey.contractclient.model.ApiKeyRotateRequest;
import io.github.apikey.contractclient.model.ApiKeyUpdateRequest;
import io.github.apikey.contractclient.model.ApiKeyVerifyRequest;
import io.github.apikey.contractclient.model.ProblemDetail;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Drives the whole management API with a client generated from the document (openapi-generator, Java
 * {@code native}), as an application's developer would, against a real server; then checks every answer the server
 * gave against the document. Each PATCH sends one field and proves the others unchanged: a client generated from the
 * former document sent {@code "scopes": []} with every PATCH and wiped the key's scopes.
 */
@ContractServer
class GeneratedClientContractTests {

    private static final OffsetDateTime NEXT_YEAR = OffsetDateTime.now(ZoneOffset.UTC).plusYears(1)
            .truncatedTo(ChronoUnit.SECONDS);

    @LocalServerPort
    int port;

    private ApiKeysApi admin;

    @BeforeAll
    static void forgetEarlierAnswers() {
        RecordedExchanges.clear();
    }

    @BeforeEach
    void client() {
        admin = new ApiKeysApi(client(ContractServer.ADMIN_KEY));
    }

    private ApiClient client(String key) {
        ApiClient client = new ApiClient();
        client.updateBaseUri("http://localhost:" + port);
        if (key != null) {
            client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + key));
        }
        return client;
    }

    /** Every answer of the run, the errors included, is one the document describes. */
    @AfterAll
    static void everyAnswerMatchesTheDocument() throws Exception {
        List<RecordedExchanges.Exchange> exchanges = RecordedExchanges.all();
        assertThat(exchanges).as("answers recorded").hasSizeGreaterThan(30);
        ResponseValidator validator = new ResponseValidator(OpenApiSnapshotTests.JSON.readTree(
                java.nio.file.Files.readString(java.nio.file.Path.of(System.getProperty("openapi.snapshot")))));
        assertThat(exchanges.stream().flatMap(exchange -> validator.violations(exchange).stream()).toList())
                .as("answers that the document does not describe").isEmpty();
    }

    @Test
    void createGetListAndDelete() throws Exception {
        ApiKeyCreated created = admin.createApiKey(new ApiKeyCreateRequest().name("client-created")
                .description("made by a generated client").scopes(List.of("read", "write")).expiresAt(NEXT_YEAR));

        assertThat(created.getApiKey()).startsWith("ak_v1-");
        ApiKeyPrincipal key = created.getEntity();
        assertThat(key.getName()).isEqualTo("client-created");
        assertThat(key.getScopes()).containsExactly("read", "write");
        assertThat(key.getIsActive()).isTrue();
        assertThat(key.getExpiresAt()).isEqualTo(NEXT_YEAR);
        assertThat(key.getLastUsedAt()).isNull();

        assertThat(admin.getApiKey(key.getId())).usingRecursiveComparison().isEqualTo(key);
        assertThat(admin.listApiKeys(0, 100, null, null)).extracting(ApiKeyPrincipal::getId).contains(key.getId());
        assertThat(admin.listApiKeys(null, null, null, null)).isNotEmpty();

        admin.deleteApiKey(key.getId());
        assertThat(status(() -> admin.getApiKey(key.getId()))).isEqualTo(404);
        assertThat(status(() -> admin.deleteApiKey(key.getId()))).isEqualTo(404);
    }

    /** The audit trail's routes: a key's events, the filters and pages of all events, and the chain's check. */
    @Test
    void theAuditTrailListsFiltersAndVerifiesEvents() throws Exception {
        ApiKeyPrincipal key = admin.createApiKey(new ApiKeyCreateRequest().name("audited")).getEntity();
        admin.updateApiKey(key.getId(), new ApiKeyUpdateRequest().description("changed"));
        admin.deactivateApiKey(key.getId());

        ApiKeyEventPage events = admin.listApiKeyEventsOfKey(key.getId(), null, null, null, null, null, null);
        assertThat(events.getTotal()).isEqualTo(3);
        assertThat(events.getItems()).extracting(ApiKeyEvent::getAction).containsExactly(
                ApiKeyEvent.ActionEnum.DEACTIVATE, ApiKeyEvent.ActionEnum.UPDATE, ApiKeyEvent.ActionEnum.CREATE);
        ApiKeyEvent update = events.getItems().get(1);
        assertThat(update.getOutcome()).isEqualTo(ApiKeyEvent.OutcomeEnum.SUCCESS);
        assertThat(update.getKeyId()).isEqualTo(key.getKeyId());
        assertThat(update.getActorType()).isEqualTo(ApiKeyEvent.ActorTypeEnum.API_KEY);
        assertThat(update.getDetails()).isEqualTo(java.util.Map.of("changed", java.util.Map.of("description",
                "changed")));
        assertThat(update.getPreviousHash()).isEqualTo(events.getItems().get(2).getHash());

        ApiKeyEventPage updates = admin.listApiKeyEvents(key.getId(), "update", update.getActor(),
                update.getOccurredAt(), update.getOccurredAt().plusNanos(1000), 0, 10);
        assertThat(updates.getItems()).extracting(ApiKeyEvent::getSequence).containsExactly(update.getSequence());
        assertThat(admin.listApiKeyEvents(null, null, null, null, null, 0, 1).getItems()).hasSize(1);
        assertThat(status(() -> admin.listApiKeyEvents(null, "explode", null, null, null, null, null)))
                .isEqualTo(400);

        ApiKeyEventChainReport report = admin.verifyApiKeyEvents();
        assertThat(report.getValid()).isTrue();
        assertThat(report.getBrokenAt()).isNull();
        assertThat(report.getChecked()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void createWithTheNameAloneTakesTheDefaults() throws Exception {
        ApiKeyPrincipal key = admin.createApiKey(new ApiKeyCreateRequest().name("defaults")).getEntity();

        assertThat(key.getIsActive()).isTrue();
        assertThat(key.getScopes()).isEmpty();
        assertThat(key.getDescription()).isNull();
        assertThat(key.getExpiresAt()).isNull();
    }

    @Test
    void eachPatchChangesItsFieldAndNothingElse() throws Exception {
        ApiKeyPrincipal original = admin.createApiKey(new ApiKeyCreateRequest().name("patched")
                .description("before").scopes(List.of("read", "write")).expiresAt(NEXT_YEAR)).getEntity();
        UUID id = original.getId();

        ApiKeyPrincipal renamed = admin.updateApiKey(id, new ApiKeyUpdateRequest().name("renamed"));
        assertThat(renamed.getName()).isEqualTo("renamed");
        assertUnchangedExcept(original, renamed, "name");

        ApiKeyPrincipal described = admin.updateApiKey(id, new ApiKeyUpdateRequest().description("after"));
        assertThat(described.getDescription()).isEqualTo("after");
        assertUnchangedExcept(renamed, described, "description");

        ApiKeyPrincipal deactivated = admin.updateApiKey(id, new ApiKeyUpdateRequest().isActive(false));
        assertThat(deactivated.getIsActive()).isFalse();
        assertUnchangedExcept(described, deactivated, "isActive");

        ApiKeyPrincipal rescoped = admin.updateApiKey(id, new ApiKeyUpdateRequest().scopes(List.of("admin:read")));
        assertThat(rescoped.getScopes()).containsExactly("admin:read");
        assertUnchangedExcept(deactivated, rescoped, "scopes");

        OffsetDateTime later = NEXT_YEAR.plusDays(1);
        ApiKeyPrincipal extended = admin.updateApiKey(id, new ApiKeyUpdateRequest().expiresAt(later));
        assertThat(extended.getExpiresAt()).isEqualTo(later);
        assertUnchangedExcept(rescoped, extended, "expiresAt");

        ApiKeyPrincipal unlimited = admin.updateApiKey(id, new ApiKeyUpdateRequest().clearExpires(true));
        assertThat(unlimited.getExpiresAt()).isNull();
        assertUnchangedExcept(extended, unlimited, "expiresAt");

        ApiKeyPrincipal untouched = admin.updateApiKey(id, new ApiKeyUpdateRequest());
        assertUnchangedExcept(unlimited, untouched);
        assertThat(admin.getApiKey(id)).usingRecursiveComparison().isEqualTo(untouched);

        ApiKeyPrincipal unscoped = admin.updateApiKey(id, new ApiKeyUpdateRequest().scopes(List.of()));
        assertThat(unscoped.getScopes()).isEmpty();
        assertUnchangedExcept(untouched, unscoped, "scopes");
    }

    @Test
    void createTakesOwnerMetadataRestrictionsAndCredits() throws Exception {
        ApiKeyPrincipal key = admin.createApiKey(new ApiKeyCreateRequest().name("lifecycle").ownerId("tenant-1")
                .metadata(Map.of("tier", "gold", "seats", 5)).allowedIps(List.of("203.0.113.0/24"))
                .allowedOrigins(List.of("https://app.example.com")).remaining(10L)
                .refill(new ApiKeyRefill().amount(10L).interval(ApiKeyRefill.IntervalEnum.DAILY))).getEntity();

        assertThat(key.getOwnerId()).isEqualTo("tenant-1");
        assertThat(key.getMetadata()).containsEntry("tier", "gold").containsKey("seats");
        assertThat(key.getAllowedIps()).containsExactly("203.0.113.0/24");
        assertThat(key.getAllowedOrigins()).containsExactly("https://app.example.com");
        assertThat(key.getRemaining()).isEqualTo(10L);
        assertThat(key.getRefill().getInterval()).isEqualTo(ApiKeyRefill.IntervalEnum.DAILY);
        assertThat(key.getRotatedAt()).isNull();
        assertThat(admin.getApiKey(key.getId())).usingRecursiveComparison().isEqualTo(key);
    }

    /** Each lifecycle field alone, then each clear flag alone: nothing else moves. */
    @Test
    void eachLifecyclePatchChangesItsFieldAndNothingElse() throws Exception {
        ApiKeyPrincipal original = admin.createApiKey(new ApiKeyCreateRequest().name("lifecycle-patched")
                .ownerId("u1").metadata(Map.of("tier", "free")).allowedIps(List.of("10.0.0.0/8"))
                .allowedOrigins(List.of("https://a.example")).remaining(5L)
                .refill(new ApiKeyRefill().amount(5L).interval(ApiKeyRefill.IntervalEnum.DAILY))).getEntity();
        UUID id = original.getId();

        ApiKeyPrincipal owned = admin.updateApiKey(id, new ApiKeyUpdateRequest().ownerId("u2"));
        assertThat(owned.getOwnerId()).isEqualTo("u2");
        assertUnchangedExcept(original, owned, "ownerId");
        ApiKeyPrincipal tagged = admin.updateApiKey(id, new ApiKeyUpdateRequest().metadata(Map.of("tier", "gold")));
        assertThat(tagged.getMetadata()).isEqualTo(Map.of("tier", "gold"));
        assertUnchangedExcept(owned, tagged, "metadata");
        ApiKeyPrincipal moved = admin.updateApiKey(id, new ApiKeyUpdateRequest().allowedIps(List.of("192.0.2.0/24")));
        assertThat(moved.getAllowedIps()).containsExactly("192.0.2.0/24");
        assertUnchangedExcept(tagged, moved, "allowedIps");
        ApiKeyPrincipal reorigined = admin.updateApiKey(id, new ApiKeyUpdateRequest()
                .allowedOrigins(List.of("https://b.example")));
        assertThat(reorigined.getAllowedOrigins()).containsExactly("https://b.example");
        assertUnchangedExcept(moved, reorigined, "allowedOrigins");
        ApiKeyPrincipal topped = admin.updateApiKey(id, new ApiKeyUpdateRequest().remaining(50L));
        assertThat(topped.getRemaining()).isEqualTo(50L);
        assertUnchangedExcept(reorigined, topped, "remaining");
        ApiKeyPrincipal monthly = admin.updateApiKey(id, new ApiKeyUpdateRequest()
                .refill(new ApiKeyRefill().amount(9L).interval(ApiKeyRefill.IntervalEnum.MONTHLY)));
        assertThat(monthly.getRefill().getAmount()).isEqualTo(9L);
        assertUnchangedExcept(topped, monthly, "refill");

        ApiKeyPrincipal unrefilled = admin.updateApiKey(id, new ApiKeyUpdateRequest().clearRefill(true));
        assertThat(unrefilled.getRefill()).isNull();
        assertUnchangedExcept(monthly, unrefilled, "refill");
        ApiKeyPrincipal uncounted = admin.updateApiKey(id, new ApiKeyUpdateRequest().clearCredits(true));
        assertThat(uncounted.getRemaining()).isNull();
        assertUnchangedExcept(unrefilled, uncounted, "remaining");
        ApiKeyPrincipal ownerless = admin.updateApiKey(id, new ApiKeyUpdateRequest().clearOwnerId(true));
        assertThat(ownerless.getOwnerId()).isNull();
        assertUnchangedExcept(uncounted, ownerless, "ownerId");
        ApiKeyPrincipal unrestricted = admin.updateApiKey(id, new ApiKeyUpdateRequest().allowedIps(List.of())
                .allowedOrigins(List.of()).metadata(Map.of()));
        assertThat(unrestricted.getAllowedIps()).isEmpty();
        assertThat(unrestricted.getAllowedOrigins()).isEmpty();
        assertThat(unrestricted.getMetadata()).isEmpty();
        assertUnchangedExcept(ownerless, unrestricted, "allowedIps", "allowedOrigins", "metadata");
    }

    /**
     * Set on create, read back, replaced, left alone by a PATCH of another field (the generated client's list is
     * undefined, not empty, unless set), and cleared with [] back to the configured defaults.
     */
    @Test
    void rateLimitsAreSetReadPatchedAndClearedAndSurviveOtherPatches() throws Exception {
        ApiKeyPrincipal key = admin.createApiKey(new ApiKeyCreateRequest().name("rate-limited")
                .rateLimits(List.of(limit("requests", 100, "PT1M"), limit("daily", 10_000, "P1D")))).getEntity();
        UUID id = key.getId();

        // P1D is shown as PT24H: the same window, in Duration's own text.
        assertThat(key.getRateLimits()).containsExactly(limit("requests", 100, "PT1M"),
                limit("daily", 10_000, "PT24H"));
        assertThat(admin.getApiKey(id)).usingRecursiveComparison().isEqualTo(key);

        ApiKeyPrincipal renamed = admin.updateApiKey(id, new ApiKeyUpdateRequest().name("still-limited"));
        assertThat(renamed.getRateLimits()).isEqualTo(key.getRateLimits());
        assertUnchangedExcept(key, renamed, "name");

        ApiKeyPrincipal replaced = admin.updateApiKey(id, new ApiKeyUpdateRequest()
                .rateLimits(List.of(limit("burst", 5, "PT1S"))));
        assertThat(replaced.getRateLimits()).containsExactly(limit("burst", 5, "PT1S"));
        assertUnchangedExcept(renamed, replaced, "rateLimits");
        assertThat(admin.updateApiKey(id, new ApiKeyUpdateRequest().rateLimits(null)).getRateLimits())
                .containsExactly(limit("burst", 5, "PT1S"));

        ApiKeyPrincipal defaults = admin.updateApiKey(id, new ApiKeyUpdateRequest().rateLimits(List.of()));
        assertThat(defaults.getRateLimits()).isEmpty();
        assertUnchangedExcept(replaced, defaults, "rateLimits");
        assertThat(admin.createApiKey(new ApiKeyCreateRequest().name("unlimited")).getEntity().getRateLimits())
                .isEmpty();

        ProblemDetail twice = problem(() -> admin.updateApiKey(id, new ApiKeyUpdateRequest()
                .rateLimits(List.of(limit("a", 1, "PT1S"), limit("a", 2, "PT1M")))));
        assertThat(twice.getStatus()).isEqualTo(400);
        assertThat(twice.getField()).isEqualTo("rateLimits");
        ProblemDetail months = problem(() -> admin.createApiKey(new ApiKeyCreateRequest().name("monthly")
                .rateLimits(List.of(limit("monthly", 1, "P1M")))));
        assertThat(months.getField()).isEqualTo("rateLimits");
        assertThat(admin.getApiKey(id).getRateLimits()).isEmpty();
    }

    private static ApiKeyRateLimit limit(String name, long limit, String duration) {
        return new ApiKeyRateLimit().name(name).limit(limit).duration(duration);
    }

    @Test
    void rotationKeepsTheKeyAndIssuesANewSecretThatTheClientReadsOnce() throws Exception {
        ApiKeyCreated created = admin.createApiKey(new ApiKeyCreateRequest().name("rotated")
                .scopes(List.of("api-keys:admin")).ownerId("u1"));
        UUID id = created.getEntity().getId();

        ApiKeyCreated rotated = admin.rotateApiKey(id, new ApiKeyRotateRequest().gracePeriod("PT1H"));
        assertThat(rotated.getApiKey()).startsWith("ak_v1-" + created.getEntity().getKeyId() + "-")
                .isNotEqualTo(created.getApiKey());
        assertThat(rotated.getEntity().getId()).isEqualTo(id);
        assertThat(rotated.getEntity().getOwnerId()).isEqualTo("u1");
        assertThat(rotated.getEntity().getRotatedAt()).isNotNull();
        assertThat(rotated.getEntity().getPreviousSecretExpiresAt())
                .isEqualTo(rotated.getEntity().getRotatedAt().plusHours(1));
        assertThat(new ApiKeysApi(client(created.getApiKey())).getApiKey(id).getId()).isEqualTo(id);
        assertThat(new ApiKeysApi(client(rotated.getApiKey())).getApiKey(id).getId()).isEqualTo(id);

        ApiKeyCreated again = admin.rotateApiKey(id, null);
        assertThat(again.getEntity().getPreviousSecretExpiresAt()).isNull();
        ProblemDetail old = problem(() -> new ApiKeysApi(client(rotated.getApiKey())).getApiKey(id));
        assertThat(old.getType()).hasToString("urn:api-key:problem:key-invalid");
        assertThat(new ApiKeysApi(client(again.getApiKey())).getApiKey(id).getId()).isEqualTo(id);

        ProblemDetail tooLong = problem(() -> admin.rotateApiKey(id, new ApiKeyRotateRequest().gracePeriod("P31D")));
        assertThat(tooLong.getField()).isEqualTo("gracePeriod");
        assertThat(status(() -> admin.rotateApiKey(UUID.randomUUID(), null))).isEqualTo(404);
    }

    @Test
    void listSearchAndCountFilterByOwnerAndMetadata() throws Exception {
        String owner = "owner-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createApiKey(new ApiKeyCreateRequest().name(owner + "-gold").ownerId(owner)
                .metadata(Map.of("tier", "gold", "seats", 5)));
        admin.createApiKey(new ApiKeyCreateRequest().name(owner + "-free").ownerId(owner)
                .metadata(Map.of("tier", "free")));

        assertThat(admin.listApiKeys(null, null, owner, null)).extracting(ApiKeyPrincipal::getName)
                .containsExactlyInAnyOrder(owner + "-gold", owner + "-free");
        assertThat(admin.listApiKeys(null, null, owner, List.of("tier:gold", "seats:5")))
                .extracting(ApiKeyPrincipal::getName).containsExactly(owner + "-gold");
        assertThat(admin.searchApiKeys(null, null, new ApiKeyFilter().ownerId(owner)
                .metadata(Map.of("seats", new ApiKeyFilterMetadataValue(new java.math.BigDecimal(5)))))
                .getItems()).extracting(ApiKeyPrincipal::getName).containsExactly(owner + "-gold");
        assertThat(admin.countApiKeys(new ApiKeyFilter().ownerId(owner)
                .metadata(Map.of("tier", new ApiKeyFilterMetadataValue("free")))).getTotal()).isEqualTo(1);
        ProblemDetail malformed = problem(() -> admin.listApiKeys(null, null, null, List.of("tier")));
        assertThat(malformed.getField()).isEqualTo("metadata");
    }

    /** /verify is told where the checked request came from; restricted and exhausted keys get their problems. */
    @Test
    void verifyReportsRestrictionsAndUsedUpCredits() throws Exception {
        String restricted = admin.createApiKey(new ApiKeyCreateRequest().name("restricted")
                .allowedIps(List.of("203.0.113.0/24")).allowedOrigins(List.of("https://app.example.com"))).getApiKey();
        String counted = admin.createApiKey(new ApiKeyCreateRequest().name("counted").remaining(1L)
                .refill(new ApiKeyRefill().amount(1L).interval(ApiKeyRefill.IntervalEnum.MONTHLY))).getApiKey();

        assertThat(admin.verifyApiKey(new ApiKeyVerifyRequest().apiKey(restricted).clientAddress("203.0.113.8")
                .origin("https://app.example.com")).getName()).isEqualTo("restricted");
        ProblemDetail address = problem(() -> admin.verifyApiKey(new ApiKeyVerifyRequest().apiKey(restricted)
                .clientAddress("198.51.100.8").origin("https://app.example.com")));
        assertThat(address.getStatus()).isEqualTo(403);
        assertThat(address.getType()).hasToString("urn:api-key:problem:address-not-allowed");
        ProblemDetail origin = problem(() -> admin.verifyApiKey(new ApiKeyVerifyRequest().apiKey(restricted)
                .clientAddress("203.0.113.8")));
        assertThat(origin.getType()).hasToString("urn:api-key:problem:origin-not-allowed");

        assertThat(admin.verifyApiKey(new ApiKeyVerifyRequest().apiKey(counted)).getRemaining()).isZero();
        ApiException exhausted = catchThrowableOfType(ApiException.class,
                () -> admin.verifyApiKey(new ApiKeyVerifyRequest().apiKey(counted)));
        assertThat(exhausted.getCode()).isEqualTo(429);
        assertThat(exhausted.getResponseHeaders().firstValue("Retry-After")).hasValueSatisfying(seconds ->
                assertThat(Long.parseLong(seconds)).isPositive());
        assertThat(exhausted.getResponseBody()).contains("urn:api-key:problem:usage-exceeded");
    }

    private static void assertUnchangedExcept(ApiKeyPrincipal before, ApiKeyPrincipal after, String... changed) {
        List<String> ignored = new java.util.ArrayList<>(List.of(changed));
        ignored.add("lastUsedAt");
        assertThat(after).usingRecursiveComparison().ignoringFields(ignored.toArray(String[]::new)).isEqualTo(before);
    }

    @Test
    void activateDeactivateAndVerify() throws Exception {
        ApiKeyCreated created = admin.createApiKey(new ApiKeyCreateRequest().name("toggled").scopes(List.of("read")));
        UUID id = created.getEntity().getId();

        assertThat(admin.verifyApiKey(new ApiKeyVerifyRequest().apiKey(created.getApiKey())
                .requiredScopes(List.of("read"))).getLastUsedAt()).isNotNull();
        assertThat(admin.deactivateApiKey(id).getIsActive()).isFalse();
        assertThat(admin.deactivateApiKey(id).getIsActive()).isFalse();
        ProblemDetail inactive = problem(() -> admin.verifyApiKey(new ApiKeyVerifyRequest().apiKey(created.getApiKey())));
        assertThat(inactive.getStatus()).isEqualTo(403);
        assertThat(inactive.getType()).hasToString("urn:api-key:problem:key-inactive");
        assertThat(admin.activateApiKey(id).getIsActive()).isTrue();
        assertThat(admin.activateApiKey(id).getIsActive()).isTrue();

        ProblemDetail lacking = problem(() -> admin.verifyApiKey(new ApiKeyVerifyRequest().apiKey(created.getApiKey())
                .requiredScopes(List.of("read", "write"))));
        assertThat(lacking.getStatus()).isEqualTo(403);
        assertThat(lacking.getMissingScopes()).containsExactly("write");
        ProblemDetail missing = problem(() -> admin.verifyApiKey(new ApiKeyVerifyRequest()));
        assertThat(missing.getStatus()).isEqualTo(401);
        assertThat(missing.getType()).hasToString("urn:api-key:problem:key-missing");
        assertThat(status(() -> admin.activateApiKey(UUID.randomUUID()))).isEqualTo(404);
        assertThat(status(() -> admin.deactivateApiKey(UUID.randomUUID()))).isEqualTo(404);
    }

    @Test
    void searchAndCount() throws Exception {
        String marker = "search-" + UUID.randomUUID().toString().substring(0, 8);
        admin.createApiKey(new ApiKeyCreateRequest().name(marker + "-b").scopes(List.of("read")));
        admin.createApiKey(new ApiKeyCreateRequest().name(marker + "-a").scopes(List.of("read", "write")));
        admin.createApiKey(new ApiKeyCreateRequest().name(marker + "-c").isActive(false));

        ApiKeyPage page = admin.searchApiKeys(0, 2, new ApiKeyFilter().nameContains(marker.toUpperCase())
                .orderBy(ApiKeyFilter.OrderByEnum.NAME).orderDesc(false));
        assertThat(page.getTotal()).isEqualTo(3);
        assertThat(page.getLimit()).isEqualTo(2);
        assertThat(page.getOffset()).isZero();
        assertThat(page.getItems()).extracting(ApiKeyPrincipal::getName).containsExactly(marker + "-a", marker + "-b");
        assertThat(admin.searchApiKeys(2, 2, new ApiKeyFilter().nameContains(marker)).getItems()).hasSize(1);
        assertThat(admin.searchApiKeys(null, null, null).getTotal()).isPositive();

        assertThat(admin.countApiKeys(new ApiKeyFilter().nameContains(marker).isActive(true)
                .scopesContainAll(List.of("read"))).getTotal()).isEqualTo(2);
        assertThat(admin.countApiKeys(new ApiKeyFilter().nameContains(marker).scopesContainAny(List.of("write"))
                .neverUsed(true)).getTotal()).isEqualTo(1);
        assertThat(admin.countApiKeys(null).getTotal()).isPositive();
    }

    @Test
    void refusalsAreTheDocumentedProblems() throws Exception {
        ProblemDetail longName = problem(() -> admin.createApiKey(new ApiKeyCreateRequest().name("n".repeat(129))));
        assertThat(longName.getStatus()).isEqualTo(400);
        assertThat(longName.getField()).isEqualTo("name");
        ProblemDetail badScope = problem(() -> admin.createApiKey(new ApiKeyCreateRequest().name("k")
                .scopes(List.of("Not-A-Scope"))));
        assertThat(badScope.getField()).isEqualTo("scopes");
        assertThat(badScope.getType()).hasToString("urn:api-key:problem:invalid-request");
        ProblemDetail page = problem(() -> admin.listApiKeys(0, 101, null, null));
        assertThat(page.getField()).isEqualTo("limit");
        assertThat(status(() -> admin.getApiKey(UUID.randomUUID()))).isEqualTo(404);
        assertThat(status(() -> admin.updateApiKey(UUID.randomUUID(), new ApiKeyUpdateRequest().name("x"))))
                .isEqualTo(404);
        ProblemDetail both = problem(() -> admin.updateApiKey(admin.createApiKey(new ApiKeyCreateRequest().name("e"))
                .getEntity().getId(), new ApiKeyUpdateRequest().clearExpires(true).expiresAt(NEXT_YEAR)));
        assertThat(both.getField()).isEqualTo("clearExpires");

        ProblemDetail anonymous = problem(() -> new ApiKeysApi(client(null)).listApiKeys(null, null, null, null));
        assertThat(anonymous.getStatus()).isEqualTo(401);
        String reader = admin.createApiKey(new ApiKeyCreateRequest().name("reader").scopes(List.of("read")))
                .getApiKey();
        ProblemDetail notAdmin = problem(() -> new ApiKeysApi(client(reader)).countApiKeys(null));
        assertThat(notAdmin.getStatus()).isEqualTo(403);
        assertThat(notAdmin.getMissingScopes()).containsExactly("api-keys:admin");
        ProblemDetail invalid = problem(() -> new ApiKeysApi(client(reader + "x")).listApiKeys(null, null, null, null));
        assertThat(invalid.getType()).hasToString("urn:api-key:problem:key-invalid");
    }

    private int status(Call call) {
        return catchThrowableOfType(ApiException.class, call::run).getCode();
    }

    private ProblemDetail problem(Call call) throws Exception {
        ApiException failure = catchThrowableOfType(ApiException.class, call::run);
        assertThat(failure).as("an error answer").isNotNull();
        return new ApiClient().getObjectMapper().readValue(failure.getResponseBody(), ProblemDetail.class);
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }
}
