package io.github.apikey.spring.security.ordering;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/** {@code with(apiKeys(), ...)} before {@code httpBasic(...)}: every answer is the same as in the other order. */
@SpringBootTest(classes = ChainApplications.KeysThenBasic.class, properties = {"api-key.pepper=ordering-test-pepper-0123456789a",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
        "api-key.security.header-name=X-API-Key"})
@AutoConfigureMockMvc
class KeysThenBasicAnswersTests extends MixedChainAnswers {
}
