package io.github.apikey.core.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Objects;

/**
 * Restores a key's usage credits to {@code amount} at the start of every period, in UTC: each day at midnight, or
 * the first day of each month at midnight. Credits left over are not carried forward.
 *
 * @param amount   the credits a key holds at the start of each period, at least 1
 * @param interval how often the credits are restored
 */
public record CreditRefill(long amount, Interval interval) {

    public CreditRefill {
        Objects.requireNonNull(interval, "interval");
    }

    /** How often credits are restored. */
    public enum Interval {
        DAILY,
        MONTHLY;

        /** The start of the period {@code now} falls in. */
        public Instant periodStart(Instant now) {
            LocalDate day = LocalDate.ofInstant(now, ZoneOffset.UTC);
            LocalDate start = this == DAILY ? day : day.withDayOfMonth(1);
            return start.atStartOfDay(ZoneOffset.UTC).toInstant();
        }

        /** The start of the period after the one {@code now} falls in: when the next refill is due. */
        public Instant nextPeriodStart(Instant now) {
            LocalDate start = LocalDate.ofInstant(periodStart(now), ZoneOffset.UTC);
            LocalDate next = this == DAILY ? start.plusDays(1) : start.plusMonths(1);
            return next.atStartOfDay(ZoneOffset.UTC).toInstant();
        }
    }

    /** Whether credits last restored at {@code lastRefillAt} (null: never) are due for a refill at {@code now}. */
    public boolean isDue(Instant lastRefillAt, Instant now) {
        return lastRefillAt == null || lastRefillAt.isBefore(interval.periodStart(now));
    }
}
