package io.github.apikey.spring.fuzz;

import io.github.apikey.core.error.ApiKeyNotFoundException;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.CreatedApiKey;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.security.app.SecuredApplication;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.jayway.jsonpath.JsonPath;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Fuzz tests (Jazzer) of the HTTP edge of a full application (the starter's default chain, the management API and
 * the sample endpoints of {@link SecuredApplication}) over MockMvc: whatever the headers and bodies, every request
 * ends in one of the expected statuses, refusals are {@code application/problem+json}, and no exception escapes.
 *
 * <p>The application starts once, through the Spring test context like any {@code @SpringBootTest}: Jazzer runs
 * fuzz tests on an ordinary test instance, so {@code @Autowired} fields work; with the default
 * {@code Lifecycle.PER_TEST}, {@code @BeforeEach} and {@code @AfterEach} run once around a whole fuzzing run
 * (and around every input in regression mode). MockMvc is built without result printing: Spring Boot's default
 * keeps the printout of every request until the test method ends, which a fuzzing run never reaches.
 *
 * <p>Two things MockMvc cannot show are left out on purpose: {@code Content-Type} values that
 * {@code MockHttpServletRequest} itself cannot take (see {@link #mockRequestCanCarry}), and the error dispatch of a
 * real server. The bare 400 with which Spring Security's firewall refuses control characters in a header or
 * parameter is accepted as it is (on Tomcat it becomes whatever {@code /error} answers).
 *
 * <p>Under {@code ./mvnw verify} the targets run in Jazzer's regression mode, on the empty input and on the files
 * under {@code src/test/resources/io/github/apikey/spring/fuzz/HttpEdgeFuzzTestsInputs/<method>/}: a few inputs of
 * an earlier fuzzing run, one per route and status (they are bytes for {@code FuzzedDataProvider}, so they mean
 * something only to this class). Fuzzing runs one target per JVM (Jazzer skips the other {@code @FuzzTest}s),
 * for at most the {@code maxDuration} below unless {@code -Djazzer.max_duration} says otherwise:
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -pl api-key-spring-boot-starter -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dtest='HttpEdgeFuzzTests#managementBodies' -Djazzer.max_duration=5m
 * </pre>
 *
 * A finding fails the test and its input is written next to the inputs above, where the next {@code verify}
 * replays it; commit it with its fix. The corpus grows in {@code .cifuzz-corpus/} of the module. Do not use
 * {@code -Djazzer.keep_going}: with it, this Jazzer version reports the test as passed whatever it found.
 *
 * <p>Every fuzz target of the project in turn, five minutes each (their {@code maxDuration}), listing those that
 * found something:
 *
 * <pre>
 * failed=; for target in api-key-core:ApiKeyFormatFuzzTests#{parseDefaultFormat,parseCustomFormat,\
 * parseWithAnyFormat,verifyArbitraryKeys,verifyWithRequiredScopes} \
 *     api-key-spring-boot-starter:HttpEdgeFuzzTests#{authenticationHeaders,managementBodies}; do
 *   JAZZER_FUZZ=1 ./mvnw -ntp -pl "${target%%:*}" -am test -Dsurefire.failIfNoSpecifiedTests=false \
 *       -Dtest="${target#*:}" || failed="$failed ${target#*:}"
 * done; echo "fuzz targets with findings:${failed:- none}"; test -z "$failed"
 * </pre>
 */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=fuzz-pepper-0123456789abcdefghij",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
        "api-key.security.header-name=X-API-Key", "spring.main.banner-mode=off",
        // Actuator is on the test class path: Micrometer's observation of every security filter would cut the
        // executions per second fourfold, and it observes Spring's code, not the starter's.
        "management.observations.enable.spring.security=false",
        "management.observations.enable.http.server.requests=false"})
@AutoConfigureMockMvc(print = MockMvcPrint.NONE, printOnlyOnFailure = false)
class HttpEdgeFuzzTests {

    private static final String JAZZER_HOOKS = "jazzer.hooks";
    private static final String ADMIN_SCOPE = "api-keys:admin";
    /**
     * What Spring Security's {@code StrictHttpFirewall} (the default) lets through in header values, and in
     * parameter values: assigned characters other than controls (tab allowed in header values). A request whose
     * header or parameter value is outside this, once the application reads it, is refused with a bare 400 before
     * any application code runs; a servlet container usually refuses most of such values earlier still.
     */
    private static final Pattern FIREWALL_HEADER_VALUE =
            Pattern.compile("[\\p{IsAssigned}&&[[^\\p{IsControl}]\\t]]*");
    private static final Pattern FIREWALL_PARAMETER_VALUE =
            Pattern.compile("[\\p{IsAssigned}&&[^\\p{IsControl}]]*");
    private static final Set<Integer> MANAGEMENT_STATUSES = Set.of(200, 201, 204, 400, 401, 403, 404, 409, 415);
    private static final List<String> AUTHENTICATED_PATHS = List.of("/hello", "/annotated/read-write", "/api-keys");
    private static final List<String> SCHEMES = List.of("Bearer ", "bearer ", "BEARER ", "Bearer  ", "Bearer\t",
            "Bearer", "Basic ", "Token ", "", " Bearer ");
    private static final List<String> PADDING = List.of("", " ", "  ", "\t", "\n", "\r\n", "\u0000", "\u00a0",
            "\u2003", "\u3000", "\ufeff");
    private static final List<String> CREATE_FIELDS = List.of("name", "description", "isActive", "scopes",
            "expiresAt");
    private static final List<String> UPDATE_FIELDS = List.of("name", "description", "isActive", "scopes",
            "expiresAt", "clearExpires");
    private static final List<String> SEARCH_FIELDS = List.of("isActive", "expiresBefore", "expiresAfter",
            "createdBefore", "createdAfter", "lastUsedBefore", "lastUsedAfter", "neverUsed", "scopesContainAll",
            "scopesContainAny", "nameContains", "nameExact", "orderBy", "orderDesc");
    private static final List<String> VERIFY_FIELDS = List.of("apiKey", "requiredScopes");
    private static final List<String> SORT_NAMES = List.of("id", "name", "createdAt", "created_at", "expiresAt",
            "lastUsedAt", "isActive", "is_active", "keyId", "keyHash", "NAME", "");
    private static final List<String> SCOPES = List.of("read", "write", ADMIN_SCOPE, "a", "keys:read", "a-b_c:d",
            "Read", "", " read", "read ", "1read", "r\u0130ad");
    private static final List<String> CHARSETS = List.of("UTF-8", "utf-8", "ISO-8859-1", "UTF-16", "UTF-16LE",
            "UTF-32", "US-ASCII", "x-unknown", "", "\"UTF-8\"");
    private static final List<String> OTHER_MEDIA_TYPES = List.of("application/x-www-form-urlencoded",
            "application/xml", "application/problem+json", "application/merge-patch+json", "application/*+json",
            "*/*", "multipart/form-data; boundary=x", "application/json-seq", "text/json", "application/json; q=0");
    private static final List<String> YEARS = List.of("2026", "2027", "2025", "9999", "+10000", "1970", "0000",
            "-0001", "+999999999", "-999999999", "+1000000000", "-1000000000", "99999");

    /**
     * Regression mode installs Jazzer's agent without its hooks. With them, the agent re-instruments the project
     * classes that earlier tests of the same JVM have already loaded, and those lose their parameter names: Spring
     * MVC then fails on every {@code @PathVariable} and {@code @RequestParam} without an explicit name, in this
     * class and in every test that runs after it. Fuzzing mode ({@code JAZZER_FUZZ} set) keeps all hooks, since the
     * agent is then installed before anything else is loaded and the hooks are its coverage.
     */
    @BeforeAll
    static void noAgentHooksInRegressionMode() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        if ((fuzz == null || fuzz.isEmpty()) && System.getProperty(JAZZER_HOOKS) == null) {
            System.setProperty(JAZZER_HOOKS, "false");
        }
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    /** An admin key, a key with scopes read and write, a key without scopes, and an inactive key. */
    private CreatedApiKey admin;
    private CreatedApiKey readWrite;
    private CreatedApiKey plain;
    private CreatedApiKey inactive;
    private List<String> keys;
    private List<String> secrets;

    @BeforeEach
    void createKeys() {
        admin = service.create(NewApiKey.named("fuzz-admin").withScopes(List.of(ADMIN_SCOPE)));
        readWrite = service.create(NewApiKey.named("fuzz-read-write").withScopes(List.of("read", "write")));
        plain = service.create(NewApiKey.named("fuzz-plain"));
        inactive = service.create(NewApiKey.named("fuzz-inactive").withScopes(List.of("read", "write", ADMIN_SCOPE))
                .withActive(false));
        keys = List.of(admin.plaintext(), readWrite.plaintext(), plain.plaintext(), inactive.plaintext());
        secrets = keys.stream().map(key -> key.substring(key.lastIndexOf('-') + 1)).toList();
    }

    @AfterEach
    void deleteKeys() {
        for (CreatedApiKey key : List.of(admin, readWrite, plain, inactive)) {
            deleteQuietly(key.apiKey().getId());
        }
    }

    /**
     * Arbitrary {@code Authorization} and {@code X-API-Key} headers, none to several of each, against endpoints
     * that need any valid key, scopes {@code read} and {@code write}, or the admin scope: 200, 401 or 403 only, a
     * 200 only for a request that carries a key entitled to it, and a single well-formed header with an active
     * key always gets in.
     */
    @FuzzTest(maxDuration = "5m")
    void authenticationHeaders(FuzzedDataProvider data) throws Exception {
        String path = data.pickValue(AUTHENTICATED_PATHS);
        MockHttpServletRequestBuilder request = get(path);
        List<String> sent = new ArrayList<>();
        int authorizations = data.consumeInt(0, 3);
        for (int i = 0; i < authorizations; i++) {
            String value = authorization(data);
            request.header(HttpHeaders.AUTHORIZATION, value);
            sent.add(value);
        }
        int apiKeyHeaders = data.consumeInt(0, 2);
        for (int i = 0; i < apiKeyHeaders; i++) {
            String value = pad(data) + credential(data) + pad(data);
            request.header("X-API-Key", value);
            sent.add(value);
        }

        MockHttpServletResponse response = mvc.perform(request).andReturn().getResponse();

        int status = response.getStatus();
        Supplier<String> exchange = () -> "GET " + path + " with headers " + escape(sent.toString()) + " answered "
                + status;
        checkNoSecretEchoed(exchange, response);
        if (refusedByFirewall(status, response, sent, List.of())) {
            return;
        }
        check(status == 200 || status == 401 || status == 403, "unexpected status", exchange, response);
        if (status == 200) {
            String entitled = switch (path) {
                case "/api-keys" -> admin.plaintext();
                case "/annotated/read-write" -> readWrite.plaintext();
                default -> null;
            };
            boolean carriesEntitledKey = entitled != null ? sent.stream().anyMatch(value -> value.contains(entitled))
                    : sent.stream().anyMatch(value -> keys.subList(0, 3).stream().anyMatch(value::contains));
            check(carriesEntitledKey, "200 without a key entitled to it", exchange, response);
        } else {
            checkProblem(status, exchange, response);
            if (status == 401) {
                check(response.getHeader(HttpHeaders.WWW_AUTHENTICATE) != null, "401 without a challenge",
                        exchange, response);
            }
        }
        if (path.equals("/hello") && sent.size() == 1 && apiKeyHeaders == 0
                && keys.subList(0, 3).stream().anyMatch(key -> sent.get(0).equals("Bearer " + key))) {
            check(status == 200, "a valid key was refused", exchange, response);
        }
    }

    /**
     * Arbitrary bodies (generated JSON objects with fuzzed field values, other JSON, text and bytes) under
     * arbitrary content types to the management API's write and query routes, as the admin: only 200, 201, 204,
     * 400, 401, 403, 404, 409 or 415, every 4xx an {@code application/problem+json} body, and never a 5xx.
     */
    @FuzzTest(maxDuration = "5m")
    void managementBodies(FuzzedDataProvider data) throws Exception {
        String contentType = contentType(data);
        if (contentType != null && !mockRequestCanCarry(contentType)) {
            return;
        }
        int route = data.consumeInt(0, 4);
        List<String> fields;
        MockHttpServletRequestBuilder request;
        UUID temporary = null;
        switch (route) {
            case 0 -> {
                request = post("/api-keys");
                fields = CREATE_FIELDS;
            }
            case 1 -> {
                String id;
                switch (data.consumeInt(0, 2)) {
                    case 0 -> {
                        temporary = service.create(NewApiKey.named("fuzz-patched").withScopes(List.of("read")))
                                .apiKey().getId();
                        id = temporary.toString();
                    }
                    case 1 -> id = new UUID(data.consumeLong(), data.consumeLong()).toString();
                    default -> id = pathSegment(data.consumeAsciiString(40));
                }
                request = patch("/api-keys/{id}", id);
                fields = UPDATE_FIELDS;
            }
            case 2 -> {
                request = post("/api-keys/search");
                if (data.consumeBoolean()) {
                    request.param("offset", number(data));
                }
                if (data.consumeBoolean()) {
                    request.param("limit", number(data));
                }
                fields = SEARCH_FIELDS;
            }
            case 3 -> {
                request = post("/api-keys/count");
                fields = SEARCH_FIELDS;
            }
            default -> {
                request = post("/api-keys/verify");
                fields = VERIFY_FIELDS;
            }
        }
        if (contentType != null) {
            request.header(HttpHeaders.CONTENT_TYPE, contentType);
        }
        byte[] body = switch (data.consumeInt(0, 5)) {
            case 0, 1, 2 -> jsonObject(data, fields, 0).getBytes(StandardCharsets.UTF_8);
            case 3 -> value(data, fields.get(0), 0).getBytes(StandardCharsets.UTF_8);
            case 4 -> data.consumeString(500).getBytes(StandardCharsets.UTF_8);
            default -> data.consumeBytes(500);
        };
        request.content(body).header(HttpHeaders.AUTHORIZATION, "Bearer " + admin.plaintext());

        UUID created = null;
        try {
            MvcResult result = mvc.perform(request).andReturn();
            MockHttpServletResponse response = result.getResponse();

            int status = response.getStatus();
            Supplier<String> exchange = () -> result.getRequest().getMethod() + " "
                    + result.getRequest().getRequestURI() + " (parameters " + escape(parameters(result))
                    + ", Content-Type " + escape(String.valueOf(contentType)) + ") with body "
                    + escape(new String(body, StandardCharsets.UTF_8)) + " answered " + status;
            List<String> parameters = new ArrayList<>(result.getRequest().getParameterMap().keySet());
            result.getRequest().getParameterMap().values()
                    .forEach(values -> parameters.addAll(Arrays.asList(values)));
            if (refusedByFirewall(status, response, contentType == null ? List.of() : List.of(contentType),
                    parameters)) {
                return;
            }
            check(MANAGEMENT_STATUSES.contains(status), "unexpected status", exchange, response);
            if (status >= 400) {
                checkProblem(status, exchange, response);
            }
            if (status == 201) {
                check(route == 0, "201 from a route that creates nothing", exchange, response);
                created = UUID.fromString(JsonPath.read(response.getContentAsString(), "$.entity.id"));
                String plaintext = JsonPath.read(response.getContentAsString(), "$.apiKey");
                check(service.getFormat().isWellFormed(plaintext), "created key is malformed", exchange, response);
            } else if (status == 200) {
                check(MediaType.APPLICATION_JSON.isCompatibleWith(MediaType.parseMediaType(
                        response.getContentType())), "200 without JSON", exchange, response);
            }
        } finally {
            if (created != null) {
                deleteQuietly(created);
            }
            if (temporary != null) {
                deleteQuietly(temporary);
            }
        }
    }

    private String authorization(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 4)) {
            case 0 -> headerText(data);
            case 1 -> data.pickValue(SCHEMES) + headerText(data);
            case 2 -> "Bearer " + data.pickValue(keys);
            default -> data.pickValue(SCHEMES) + pad(data) + credential(data) + pad(data);
        };
    }

    /** A real key, a real key with a few characters changed, a well-formed unknown key, or anything. */
    private String credential(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 4)) {
            case 0, 1 -> data.pickValue(keys);
            case 2 -> mutate(data, data.pickValue(keys));
            case 3 -> service.getFormat().format(hex(data), alphanumeric(data));
            default -> headerText(data);
        };
    }

    /**
     * Fuzzed text for a header; most of the time without the control characters that the firewall refuses (and
     * that a servlet container rarely lets through), so that most requests reach the key handling.
     */
    private static String headerText(FuzzedDataProvider data) {
        String text = data.consumeString(120);
        return data.consumeInt(0, 3) == 0 ? text : text.replaceAll("\\p{Cc}", "");
    }

    private static String pad(FuzzedDataProvider data) {
        return data.consumeInt(0, 3) == 0 ? data.pickValue(PADDING) : "";
    }

    private static String mutate(FuzzedDataProvider data, String key) {
        StringBuilder mutated = new StringBuilder(key);
        int edits = data.consumeInt(1, 3);
        for (int i = 0; i < edits && mutated.length() > 0; i++) {
            int at = data.consumeInt(0, mutated.length() - 1);
            switch (data.consumeInt(0, 3)) {
                case 0 -> mutated.setCharAt(at, data.consumeChar());
                case 1 -> mutated.insert(at, data.consumeChar());
                case 2 -> mutated.setCharAt(at, Character.toUpperCase(mutated.charAt(at)));
                default -> mutated.deleteCharAt(at);
            }
        }
        return mutated.toString();
    }

    private static String hex(FuzzedDataProvider data) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            hex.append("0123456789abcdef".charAt(data.consumeInt(0, 15)));
        }
        return hex.toString();
    }

    private static String alphanumeric(FuzzedDataProvider data) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder secret = new StringBuilder();
        for (int i = 0; i < 64; i++) {
            secret.append(alphabet.charAt(data.consumeInt(0, alphabet.length() - 1)));
        }
        return secret.toString();
    }

    /** Keeps only URL-unreserved characters, so that the request always reaches the {@code /{id}} route. */
    private static String pathSegment(String text) {
        StringBuilder segment = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '_' || c == '~') {
                segment.append(c);
            }
        }
        return segment.isEmpty() ? "x" : segment.toString();
    }

    private static String number(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0 -> Integer.toString(data.consumeInt(-2, 102));
            case 1 -> Long.toString(data.consumeLong());
            case 2 -> data.pickValue(List.of("", " 1", "1.5", "1e2", "0x10", "+5", "-0", "2147483648", "NaN"));
            default -> data.consumeString(12);
        };
    }

    private static String contentType(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 7)) {
            case 0, 1, 2 -> MediaType.APPLICATION_JSON_VALUE;
            case 3 -> "application/json;charset=" + data.pickValue(CHARSETS);
            case 4 -> null;
            case 5 -> "text/plain";
            case 6 -> data.pickValue(OTHER_MEDIA_TYPES);
            default -> data.consumeString(60);
        };
    }

    /** A JSON object, mostly of the route's fields, sometimes of others, sometimes cut short. */
    private String jsonObject(FuzzedDataProvider data, List<String> fields, int depth) {
        StringBuilder json = new StringBuilder("{");
        int members = data.consumeInt(0, depth == 0 ? 8 : 3);
        for (int i = 0; i < members; i++) {
            if (i > 0) {
                json.append(',');
            }
            String field = data.consumeInt(0, 9) == 0 ? data.consumeString(16) : data.pickValue(fields);
            json.append(quote(field)).append(':').append(value(data, field, depth + 1));
        }
        if (data.consumeInt(0, 31) != 0) {
            json.append('}');
        }
        return json.toString();
    }

    /** A JSON value: mostly one of the field's type, but of any type too, and now and then not JSON at all. */
    private String value(FuzzedDataProvider data, String field, int depth) {
        int kind = data.consumeInt(0, 13);
        return switch (kind) {
            case 0 -> "null";
            case 1 -> Boolean.toString(data.consumeBoolean());
            case 2 -> Long.toString(data.consumeLong());
            case 3 -> Double.toString(data.consumeDouble());
            case 4 -> quote(text(data));
            case 5 -> quote(instant(data));
            case 6 -> array(data, field, depth);
            case 7 -> depth < 4 ? jsonObject(data, List.of(field, "value"), depth) : "{}";
            case 8 -> data.consumeString(24);
            default -> typedValue(data, field, depth);
        };
    }

    private String typedValue(FuzzedDataProvider data, String field, int depth) {
        String lower = field.toLowerCase(Locale.ROOT);
        if (lower.startsWith("is") || lower.startsWith("never") || lower.startsWith("clear")
                || (lower.startsWith("order") && lower.endsWith("desc"))) {
            return data.pickValue(List.of("true", "false", "null", "\"true\"", "1", "0"));
        }
        if (lower.contains("scopes")) {
            return array(data, field, depth);
        }
        if (lower.contains("before") || lower.contains("after") || lower.contains("expires")) {
            return quote(instant(data));
        }
        if (lower.equals("apikey")) {
            return quote(credential(data));
        }
        if (lower.equals("orderby")) {
            return quote(data.consumeBoolean() ? data.pickValue(SORT_NAMES) : text(data));
        }
        return quote(text(data));
    }

    private String array(FuzzedDataProvider data, String field, int depth) {
        StringBuilder array = new StringBuilder("[");
        int elements = data.consumeInt(0, 4);
        for (int i = 0; i < elements; i++) {
            if (i > 0) {
                array.append(',');
            }
            array.append(data.consumeInt(0, 3) == 0 ? value(data, field, depth + 1) : quote(scope(data)));
        }
        return array.append(']').toString();
    }

    private static String scope(FuzzedDataProvider data) {
        return switch (data.consumeInt(0, 3)) {
            case 0, 1 -> data.pickValue(SCOPES);
            case 2 -> "s" + "a".repeat(data.consumeInt(0, 5000));
            default -> text(data);
        };
    }

    /** Fuzzed text, now and then repeated to reach length limits (128, 1024, 4096 characters and beyond). */
    private static String text(FuzzedDataProvider data) {
        String text = data.consumeString(64);
        if (data.consumeInt(0, 7) == 0) {
            text = (text.isEmpty() ? "x" : text).repeat(data.consumeInt(1, 5000));
        }
        return text;
    }

    /** An ISO-8601 instant, with components anywhere from ordinary to out of range. */
    private static String instant(FuzzedDataProvider data) {
        if (data.consumeInt(0, 7) == 0) {
            return data.consumeString(40);
        }
        String year = data.consumeBoolean() ? data.pickValue(YEARS) : Integer.toString(data.consumeInt());
        String fraction = switch (data.consumeInt(0, 3)) {
            case 0 -> "";
            case 1 -> "." + data.consumeInt(0, 999);
            case 2 -> ".123456789";
            default -> "." + "9".repeat(data.consumeInt(1, 12));
        };
        String zone = data.pickValue(List.of("Z", "z", "+00:00", "+18:00", "-18:00", "+19:00", "", "+0530", "UTC"));
        return String.format(Locale.ROOT, "%s-%02d-%02dT%02d:%02d:%02d%s%s", year, data.consumeInt(0, 13),
                data.consumeInt(0, 32), data.consumeInt(0, 25), data.consumeInt(0, 60), data.consumeInt(0, 61),
                fraction, zone);
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** A bare 400 of the firewall, for a request carrying a header value or a parameter that it refuses. */
    private static boolean refusedByFirewall(int status, MockHttpServletResponse response, List<String> headerValues,
                                             List<String> parameterNamesAndValues) {
        return status == 400 && response.getContentAsByteArray().length == 0
                && (headerValues.stream().anyMatch(value -> !FIREWALL_HEADER_VALUE.matcher(value).matches())
                || parameterNamesAndValues.stream().filter(Objects::nonNull)
                        .anyMatch(text -> !FIREWALL_PARAMETER_VALUE.matcher(text).matches()));
    }

    /**
     * Whether MockMvc can send this {@code Content-Type} at all. {@code MockHttpServletRequest} parses it and
     * takes its charset parameter as the request encoding, so values that Spring's {@code MediaType} parser fails on
     * with something other than an {@code IllegalArgumentException} (a quoted type such as {@code "a/b"}), or whose
     * charset name is illegal or unknown, break the mock infrastructure itself before the application is reached.
     * What a real server does with them is a matter for a test over HTTP.
     */
    private static boolean mockRequestCanCarry(String contentType) {
        try {
            MockHttpServletRequest probe = new MockHttpServletRequest();
            probe.setContentType(contentType);
            String encoding = probe.getCharacterEncoding();
            return encoding == null || Charset.isSupported(encoding);
        } catch (RuntimeException unusable) {
            return false;
        }
    }

    private static void checkProblem(int status, Supplier<String> exchange, MockHttpServletResponse response)
            throws Exception {
        String contentType = response.getContentType();
        check(contentType != null && MediaType.APPLICATION_PROBLEM_JSON.isCompatibleWith(
                MediaType.parseMediaType(contentType)), "refusal is not application/problem+json", exchange,
                response);
        Object reported = JsonPath.read(response.getContentAsString(), "$.status");
        check(Integer.valueOf(status).equals(reported), "problem status differs from the HTTP status", exchange,
                response);
    }

    private void checkNoSecretEchoed(Supplier<String> exchange, MockHttpServletResponse response) throws Exception {
        String answer = response.getContentAsString() + response.getHeaderNames().stream()
                .map(response::getHeaderValues).toList();
        for (String secret : secrets) {
            check(!answer.contains(secret), "the answer echoes a key's secret", exchange, response);
        }
    }

    private static void check(boolean condition, String message, Supplier<String> exchange,
                              MockHttpServletResponse response) throws Exception {
        if (!condition) {
            throw new AssertionError(message + ": " + exchange.get() + ", Content-Type " + response.getContentType()
                    + ", body " + escape(response.getContentAsString()));
        }
    }

    private static String parameters(MvcResult result) {
        StringBuilder parameters = new StringBuilder();
        result.getRequest().getParameterMap().forEach((name, values) ->
                parameters.append(name).append('=').append(String.join(",", values)).append(' '));
        return parameters.toString().strip();
    }

    private void deleteQuietly(UUID id) {
        try {
            service.delete(id);
        } catch (ApiKeyNotFoundException alreadyGone) {
            // Deleted by the request itself.
        }
    }

    private static String escape(String text) {
        String shortened = text.length() > 600 ? text.substring(0, 600) + "...(" + text.length() + " chars)" : text;
        StringBuilder escaped = new StringBuilder("\"");
        for (char c : shortened.toCharArray()) {
            if (c >= ' ' && c <= '~' && c != '"' && c != '\\') {
                escaped.append(c);
            } else {
                escaped.append(String.format("\\u%04x", (int) c));
            }
        }
        return escaped.append('"').toString();
    }
}
