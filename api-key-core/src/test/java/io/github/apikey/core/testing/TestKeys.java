package io.github.apikey.core.testing;

import io.github.apikey.core.domain.ApiKey;
import io.github.apikey.core.format.ApiKeyFormat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Entities for store tests, with unique key ids and hashes and times at whole microseconds. */
public final class TestKeys {

    /** A fixed instant that every database stores exactly. */
    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00.123456Z");

    private static final ApiKeyFormat FORMAT = new ApiKeyFormat();

    private TestKeys() {
    }

    public static ApiKey.Builder key(String name) {
        String secret = FORMAT.newSecret();
        return ApiKey.builder()
                .id(UUID.randomUUID())
                .keyId(FORMAT.newKeyId())
                .keyHash("$test$" + FORMAT.newSecret())
                .secretFirst(secret.substring(0, 4))
                .secretLast(secret.substring(60))
                .name(name)
                .scopes(List.of())
                .createdAt(T0);
    }
}
