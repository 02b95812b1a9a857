package io.github.apikey.spring.web;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.web.app.ManagementApplication;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

/**
 * With {@code spring.mvc.problemdetails.enabled=true} Spring Boot adds its own exception handler for Spring MVC's
 * errors; the management API's 400s must still name their field.
 */
@SpringBootTest(classes = ManagementApplication.class, properties = {"api-key.pepper=problem-details-pepper-0123456789",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
        "spring.mvc.problemdetails.enabled=true"})
@AutoConfigureMockMvc
class ProblemDetailsEnabledTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    private String admin;

    @BeforeEach
    void adminKey() {
        admin = service.create(NewApiKey.named("admin").withScopes(List.of("api-keys:admin"))).plaintext();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", value = {
            "malformed JSON|POST|/api-keys|not json|body",
            "empty body|POST|/api-keys|''|body",
            "no body at all|POST|/api-keys|-|body",
            "not an object|POST|/api-keys|\"x\"|body",
            "bad date|POST|/api-keys|{\"name\":\"x\",\"expiresAt\":\"tomorrow\"}|expiresAt",
            "wrong type|POST|/api-keys|{\"name\":\"x\",\"isActive\":\"maybe\"}|isActive",
            "unknown field|POST|/api-keys|{\"name\":\"x\",\"active\":false}|active",
            "limit not a number|GET|/api-keys?limit=abc|-|limit",
            "offset not a number|POST|/api-keys/search?offset=abc|-|offset",
            "malformed id|GET|/api-keys/not-a-uuid|-|id",
            "malformed id, patch|PATCH|/api-keys/42|{\"name\":\"x\"}|id"})
    void everyBadRequestNamesItsField(String label, String method, String path, String body, String field)
            throws Exception {
        var request = MockMvcRequestBuilders.request(HttpMethod.valueOf(method), path)
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + admin);
        if (body != null) {
            request.contentType(MediaType.APPLICATION_JSON).content(body);
        }
        ManagementApiTests.badRequest(mvc.perform(request), field);
    }
}
