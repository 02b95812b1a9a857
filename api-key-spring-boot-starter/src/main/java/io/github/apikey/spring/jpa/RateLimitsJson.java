package io.github.apikey.spring.jpa;

import io.github.apikey.core.domain.RateLimit;
import io.github.apikey.spring.support.JsonText;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A key's own rate limits as the JSON array text of the {@code rate_limits} column:
 * {@code [{"name":"requests","limit":100,"duration":"PT1M"}]}, the shape the management API shows, with the window as
 * an ISO-8601 duration so that a person reading the row (or a migration written in SQL) sees what it means. Written
 * compactly in the key's order; read with Jackson, so that text written by hand or by other tools (whitespace, member
 * order) loads too.
 */
final class RateLimitsJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private RateLimitsJson() {
    }

    /** The column value: {@code null} for none, so that a key on the configured defaults looks like keyshield's rows. */
    static String write(Collection<RateLimit> limits) {
        if (limits == null || limits.isEmpty()) {
            return null;
        }
        StringBuilder json = new StringBuilder("[");
        for (RateLimit limit : limits) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append("{\"name\":").append(JsonText.quote(limit.name()))
                    .append(",\"limit\":").append(limit.limit())
                    .append(",\"duration\":").append(JsonText.quote(limit.duration().toString()))
                    .append('}');
        }
        return json.append(']').toString();
    }

    static List<RateLimit> read(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        JsonNode array;
        try {
            array = MAPPER.readTree(json);
        } catch (JacksonException e) {
            // Only the position: Jackson's message quotes the input.
            throw invalid("unreadable at " + e.getLocation());
        }
        if (array == null || array.isNull() || array.isMissingNode()) {
            return List.of();
        }
        if (!array.isArray()) {
            throw invalid("not an array");
        }
        List<RateLimit> limits = new ArrayList<>(array.size());
        for (JsonNode element : array) {
            JsonNode name = element.get("name");
            JsonNode limit = element.get("limit");
            JsonNode duration = element.get("duration");
            if (name == null || !name.isString() || limit == null || !limit.isNumber()
                    || !limit.canConvertToExactIntegral()
                    || !limit.canConvertToLong() || duration == null || !duration.isString()) {
                throw invalid("element " + limits.size() + " lacks a string name, an integer limit or a string "
                        + "duration");
            }
            try {
                limits.add(new RateLimit(name.asString(), limit.asLong(), Duration.parse(duration.asString())));
            } catch (DateTimeParseException e) {
                throw invalid("element " + limits.size() + " has a duration that is not ISO-8601");
            }
        }
        return List.copyOf(limits);
    }

    private static IllegalArgumentException invalid(String reason) {
        return new IllegalArgumentException("Stored rate limits are not a JSON array of {name, limit, duration}: "
                + reason);
    }
}
