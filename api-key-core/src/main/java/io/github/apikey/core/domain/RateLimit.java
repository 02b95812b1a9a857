package io.github.apikey.core.domain;

import java.time.Duration;
import java.util.Objects;

/**
 * A named budget of requests: at most {@code limit} requests in each window of {@code duration}. The whole budget
 * is restored at the end of each window (a fixed window per key, starting at the key's first request), so that no
 * window ever admits more than {@code limit}.
 *
 * @param name     names the limit in headers and views, such as {@code requests} or {@code daily}
 * @param limit    requests per window, at least 1
 * @param duration length of the window, at least one second
 */
public record RateLimit(String name, long limit, Duration duration) {

    public RateLimit {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(duration, "duration");
    }

    @Override
    public String toString() {
        return name + "=" + limit + "/" + duration;
    }
}
