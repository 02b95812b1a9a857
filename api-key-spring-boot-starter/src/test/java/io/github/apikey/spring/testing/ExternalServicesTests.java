package io.github.apikey.spring.testing;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ExternalServicesTests {

    @Test
    void aMissingServiceSkipsOrFailsAsTheEnvironmentSays() {
        Class<? extends Throwable> expected = ExternalServices.required()
                ? AssertionFailedError.class : TestAbortedException.class;

        assertThatThrownBy(() -> ExternalServices.unavailable("Example server on 127.0.0.1", "start it",
                new java.net.ConnectException("Connection refused")))
                .isInstanceOf(expected)
                .hasMessageContaining("Example server on 127.0.0.1 is not available: start it")
                .hasMessageContaining(ExternalServices.REQUIRE_VARIABLE);
    }
}
