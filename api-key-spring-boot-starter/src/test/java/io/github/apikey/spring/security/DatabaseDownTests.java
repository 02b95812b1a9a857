package io.github.apikey.spring.security;

import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;
import io.github.apikey.spring.security.app.SecuredApplication;
import io.github.apikey.spring.testing.TestDatabase;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.apikey.spring.security.DefaultSecurityChainTests.problem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** The key store's database goes away mid-run: requests with keys get 503, never 200 and never 401. */
@SpringBootTest(classes = SecuredApplication.class, properties = {"api-key.pepper=database-down-pepper-0123456789a",
        "api-key.hasher.type=hmac-sha256", "api-key.jdbc.initialize-schema=always",
        "spring.datasource.hikari.connection-timeout=1000", "spring.datasource.hikari.maximum-pool-size=2"})
@AutoConfigureMockMvc
class DatabaseDownTests {

    private static TestDatabase database;

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        database = TestDatabase.create(TestDatabase.Kind.POSTGRESQL);
        database.registerWith(registry);
    }

    @AfterAll
    static void dropDatabase() throws Exception {
        if (database != null) {
            database.close();
        }
    }

    @Test
    void answers503ForKeysNotVerifiedYetWhileTheDatabaseIsDownAndRecoversWithoutRestart() throws Exception {
        String verified = service.create(NewApiKey.named("verified")).plaintext();
        String notVerifiedYet = service.create(NewApiKey.named("not verified yet")).plaintext();
        String unknown = new io.github.apikey.core.format.ApiKeyFormat().format("0123456789abcdef",
                "a".repeat(64));
        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + verified)).andExpect(status().isOk());

        database.refuseConnections();
        try {
            problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + notVerifiedYet)), 503,
                    "API key verification is temporarily unavailable")
                    .andExpect(header().string("Retry-After", "5"));
            problem(mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + unknown)), 503,
                    "API key verification is temporarily unavailable");
            // A key verified moments ago is served from the cache: the outage costs its users nothing.
            mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + verified))
                    .andExpect(status().isOk());
        } finally {
            database.acceptConnections();
        }

        mvc.perform(get("/hello").header(HttpHeaders.AUTHORIZATION, "Bearer " + notVerifiedYet))
                .andExpect(status().isOk());
    }
}
