package io.github.apikey.spring.security.jwt;

import io.github.apikey.core.format.ApiKeyFormat;
import io.github.apikey.core.service.ApiKeyService;
import io.github.apikey.core.service.NewApiKey;

import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.test.web.servlet.MockMvc;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's JWT chain with nothing else configured: key-prefixed bearer tokens reach API key authentication,
 * every other bearer token the real {@code NimbusJwtDecoder}.
 */
@SpringBootTest(classes = JwtApplication.class, properties = {"api-key.pepper=jwt-test-pepper-0123456789abcdef",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true"})
@AutoConfigureMockMvc
class JwtBesideApiKeysTests {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApiKeyService service;

    @Test
    void aValidKeyIsAuthenticatedByApiKeysAndAValidJwtByTheDecoder() throws Exception {
        String key = service.create(NewApiKey.named("robot")).plaintext();
        String keyId = new ApiKeyFormat().parse(key).keyId();

        mvc.perform(get("/caller").header(HttpHeaders.AUTHORIZATION, "Bearer " + key))
                .andExpect(status().isOk()).andExpect(content().string("api-key:" + keyId));
        mvc.perform(get("/caller").header(HttpHeaders.AUTHORIZATION, "Bearer " + jwt(JwtApplication.TRUSTED_SIGNER)))
                .andExpect(status().isOk()).andExpect(content().string("jwt:alice"));
    }

    @Test
    void aWrongKeyIsRefusedByApiKeysNotByTheJwtDecoder() throws Exception {
        ApiKeyFormat format = new ApiKeyFormat();
        String unknown = format.format(format.newKeyId(), format.newSecret());

        mvc.perform(get("/caller").header(HttpHeaders.AUTHORIZATION, "Bearer " + unknown))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("API key invalid"))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                        "Bearer realm=\"api\", error=\"invalid_token\", error_description=\"API key invalid\""));
    }

    @Test
    void aJwtSignedByAnotherKeyIsRefusedByTheJwtDecoder() throws Exception {
        String forged = jwt(JwtApplication.newRsaKeyPair());

        mvc.perform(get("/caller").header(HttpHeaders.AUTHORIZATION, "Bearer " + forged))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, startsWith("Bearer ")))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("error=\"invalid_token\"")))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, not(containsString("API key"))));
    }

    private static String jwt(KeyPair signer) {
        NimbusJwtEncoder encoder = NimbusJwtEncoder
                .withKeyPair((RSAPublicKey) signer.getPublic(), (RSAPrivateKey) signer.getPrivate()).build();
        Instant now = Instant.now();
        JwtClaimsSet claims = JwtClaimsSet.builder().subject("alice").issuedAt(now).expiresAt(now.plusSeconds(300))
                .build();
        return encoder.encode(JwtEncoderParameters.from(claims)).getTokenValue();
    }
}
