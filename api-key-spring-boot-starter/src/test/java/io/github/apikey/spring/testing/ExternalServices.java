package io.github.apikey.spring.testing;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * Decides what a test does when a server it needs (PostgreSQL, MariaDB, Redis) is neither running on 127.0.0.1 nor
 * startable through Docker: skip with a message, or fail when {@code APIKEY_IT_REQUIRE_SERVICES=1} (as in CI).
 */
public final class ExternalServices {

    public static final String REQUIRE_VARIABLE = "APIKEY_IT_REQUIRE_SERVICES";

    private ExternalServices() {
    }

    public static boolean required() {
        String value = System.getenv(REQUIRE_VARIABLE);
        return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
    }

    /** Skips or fails the calling test, saying what is missing and how to provide it. */
    public static RuntimeException unavailable(String service, String howToProvide, Throwable cause) {
        String message = service + " is not available: " + howToProvide + " (last error: " + cause + ")";
        if (required()) {
            Assertions.fail(message + ". " + REQUIRE_VARIABLE + " is set, so this fails instead of skipping.", cause);
        }
        Assumptions.abort(message + ". Skipping; set " + REQUIRE_VARIABLE + "=1 to fail instead.");
        throw new IllegalStateException("unreachable");
    }

    /** Whether Testcontainers can start containers here. */
    public static boolean dockerAvailable() {
        try {
            return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
        } catch (Throwable noDocker) {
            return false;
        }
    }
}
