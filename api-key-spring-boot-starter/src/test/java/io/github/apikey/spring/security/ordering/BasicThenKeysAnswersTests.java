package io.github.apikey.spring.security.ordering;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;

/** {@code httpBasic(...)} before {@code with(apiKeys(), ...)}, as in the README. */
@SpringBootTest(classes = ChainApplications.BasicThenKeys.class, properties = {"api-key.pepper=ordering-test-pepper-0123456789a",
        "api-key.hasher.type=hmac-sha256", "spring.datasource.generate-unique-name=true",
        "api-key.security.header-name=X-API-Key"})
@AutoConfigureMockMvc
class BasicThenKeysAnswersTests extends MixedChainAnswers {
}
