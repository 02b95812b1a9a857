package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.RateLimit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RateLimitsJsonTests {

    @Test
    void writesCompactJsonInTheKeysOrderAndReadsItBack() {
        List<RateLimit> limits = List.of(new RateLimit("requests", 100, Duration.ofMinutes(1)),
                new RateLimit("daily", Long.MAX_VALUE, Duration.ofDays(1)), new RateLimit("b", 1, Duration.ofMillis(1500)));

        String json = RateLimitsJson.write(limits);

        assertThat(json).isEqualTo("[{\"name\":\"requests\",\"limit\":100,\"duration\":\"PT1M\"},"
                + "{\"name\":\"daily\",\"limit\":9223372036854775807,\"duration\":\"PT24H\"},"
                + "{\"name\":\"b\",\"limit\":1,\"duration\":\"PT1.5S\"}]");
        assertThat(RateLimitsJson.read(json)).containsExactlyElementsOf(limits);
    }

    /** No limits of its own is NULL, the value of rows written before the column existed, or by keyshield. */
    @Test
    void noLimitsIsNullAndNullOrEmptyTextIsNoLimits() {
        assertThat(RateLimitsJson.write(List.of())).isNull();
        assertThat(RateLimitsJson.write(null)).isNull();
        assertThat(RateLimitsJson.read(null)).isEmpty();
        assertThat(RateLimitsJson.read(" ")).isEmpty();
        assertThat(RateLimitsJson.read("null")).isEmpty();
        assertThat(RateLimitsJson.read("[]")).isEmpty();
    }

    @Test
    void readsTextWrittenByHandWithOtherSpacingOrderAndDurations() {
        assertThat(RateLimitsJson.read(" [ { \"duration\" : \"P1D\", \"limit\" : 5.0, \"name\" : \"daily\" } ] "))
                .containsExactly(new RateLimit("daily", 5, Duration.ofDays(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{}", "[1]", "[{\"name\":\"a\",\"limit\":1}]", "[{\"name\":\"a\",\"limit\":\"1\","
            + "\"duration\":\"PT1S\"}]", "[{\"name\":\"a\",\"limit\":1.5,\"duration\":\"PT1S\"}]",
            "[{\"name\":\"a\",\"limit\":1,\"duration\":60}]", "[{\"name\":\"a\",\"limit\":1,\"duration\":\"1m\"}]",
            "[{\"name\":1,\"limit\":1,\"duration\":\"PT1S\"}]", "[{\"name\":\"a\",\"limit\":1e30,\"duration\":\"PT1S\"}]"})
    void rejectsTextThatIsNotAnArrayOfLimits(String json) {
        assertThatThrownBy(() -> RateLimitsJson.read(json)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Stored rate limits are not a JSON array of {name, limit, duration}");
    }
}
