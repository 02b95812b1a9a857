package io.github.apikey.contract;

import io.github.apikey.contractclient.ApiClient;
import io.github.apikey.contractclient.ApiException;
import io.github.apikey.contractclient.api.ApiKeysApi;
import io.github.apikey.contractclient.model.ApiKeyCreateRequest;
import io.github.apikey.contractclient.model.ApiKeyCreated;
import io.github.apikey.contractclient.model.ApiKeyFilter;
import io.github.apikey.contractclient.model.ApiKeyPage;
import io.github.apikey.contractclient.model.ApiKeyPrincipal;
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
        assertThat(admin.listApiKeys(0, 100)).extracting(ApiKeyPrincipal::getId).contains(key.getId());
        assertThat(admin.listApiKeys(null, null)).isNotEmpty();

        admin.deleteApiKey(key.getId());
        assertThat(status(() -> admin.getApiKey(key.getId()))).isEqualTo(404);
        assertThat(status(() -> admin.deleteApiKey(key.getId()))).isEqualTo(404);
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
        ProblemDetail page = problem(() -> admin.listApiKeys(0, 101));
        assertThat(page.getField()).isEqualTo("limit");
        assertThat(status(() -> admin.getApiKey(UUID.randomUUID()))).isEqualTo(404);
        assertThat(status(() -> admin.updateApiKey(UUID.randomUUID(), new ApiKeyUpdateRequest().name("x"))))
                .isEqualTo(404);
        ProblemDetail both = problem(() -> admin.updateApiKey(admin.createApiKey(new ApiKeyCreateRequest().name("e"))
                .getEntity().getId(), new ApiKeyUpdateRequest().clearExpires(true).expiresAt(NEXT_YEAR)));
        assertThat(both.getField()).isEqualTo("clearExpires");

        ProblemDetail anonymous = problem(() -> new ApiKeysApi(client(null)).listApiKeys(null, null));
        assertThat(anonymous.getStatus()).isEqualTo(401);
        String reader = admin.createApiKey(new ApiKeyCreateRequest().name("reader").scopes(List.of("read")))
                .getApiKey();
        ProblemDetail notAdmin = problem(() -> new ApiKeysApi(client(reader)).countApiKeys(null));
        assertThat(notAdmin.getStatus()).isEqualTo(403);
        assertThat(notAdmin.getMissingScopes()).containsExactly("api-keys:admin");
        ProblemDetail invalid = problem(() -> new ApiKeysApi(client(reader + "x")).listApiKeys(null, null));
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
