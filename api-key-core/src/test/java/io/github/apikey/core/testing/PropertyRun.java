package io.github.apikey.core.testing;

import java.security.SecureRandom;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A small property runner on plain JUnit Jupiter: draws {@code tries} samples from a generator, checks each, and on
 * the first failure shrinks the sample greedily and fails with the seed, the try, the original and the shrunk
 * sample.
 *
 * <p>Every run prints one line, {@code <name>: tries = N | checks = N | seed = S | <counters>}. A failure is
 * reproduced by running again with {@code -Dapikey.properties.seed=S}; {@code -Dapikey.properties.factor=10}
 * multiplies every property's tries (for a nightly run, say).
 */
public final class PropertyRun {

    public static final String SEED_PROPERTY = "apikey.properties.seed";
    public static final String FACTOR_PROPERTY = "apikey.properties.factor";

    private static final int MAX_SHRINK_STEPS = 500;
    private static final int MAX_CANDIDATES_PER_STEP = 500;

    private PropertyRun() {
    }

    /** A property over samples of type {@code T}; it fails by throwing, and may count things in {@code tally}. */
    @FunctionalInterface
    public interface Check<T> {
        void check(T sample, Tally tally) throws Exception;
    }

    /** Counters a property reports next to its tries and checks. */
    public static final class Tally {

        private final Map<String, Long> counters = new TreeMap<>();

        public void count(String what) {
            add(what, 1);
        }

        public void add(String what, long amount) {
            counters.merge(what, amount, Long::sum);
        }

        public long get(String what) {
            return counters.getOrDefault(what, 0L);
        }

        @Override
        public String toString() {
            StringBuilder text = new StringBuilder();
            counters.forEach((what, count) -> text.append(text.length() == 0 ? "" : ", ").append(what)
                    .append(" = ").append(count));
            return text.toString();
        }
    }

    /** What a run did: tries drawn, checks run (tries minus discards), the seed, and the property's counters. */
    public record Report(String name, int tries, int checks, long seed, Tally tally) {

        @Override
        public String toString() {
            return name + ": tries = " + tries + " | checks = " + checks + " | seed = " + seed
                    + (tally.counters.isEmpty() ? "" : " | " + tally);
        }
    }

    /** Thrown by {@link #assume} to discard a sample: it counts as a try, not as a check. */
    public static final class Discard extends RuntimeException {

        private Discard() {
            super(null, null, false, false);
        }
    }

    public static void assume(boolean condition) {
        if (!condition) {
            throw new Discard();
        }
    }

    public static <T> Report check(String name, int tries, Function<SplittableRandom, T> generator, Check<T> property) {
        return check(name, tries, generator, sample -> Stream.empty(), property);
    }

    /**
     * Runs {@code property} on {@code tries} samples (times the factor), failing with the shrunk sample.
     *
     * @param shrinker smaller variants of a failing sample, most promising first; the first one that still fails
     *                 replaces it, until none does
     */
    public static <T> Report check(String name, int tries, Function<SplittableRandom, T> generator,
                            Function<T, Stream<T>> shrinker, Check<T> property) {
        long seed = seed();
        int scaledTries = Math.max(1, (int) Math.round(tries * factor()));
        Tally tally = new Tally();
        int checks = 0;
        int discards = 0;
        for (int attempt = 0; attempt < scaledTries; attempt++) {
            T sample = generator.apply(new SplittableRandom(mix(seed, attempt)));
            try {
                property.check(sample, tally);
                checks++;
            } catch (Discard discarded) {
                discards++;
            } catch (Throwable failure) {
                throw falsified(name, seed, attempt, sample, failure, shrinker, property);
            }
        }
        if (discards > scaledTries * 4 / 5) {
            throw new AssertionError(name + ": " + discards + " of " + scaledTries
                    + " samples were discarded; the generator does not fit the property (seed = " + seed + ")");
        }
        Report report = new Report(name, scaledTries, checks, seed, tally);
        System.out.println("[property] " + report);
        return report;
    }

    private static <T> AssertionError falsified(String name, long seed, int attempt, T sample, Throwable failure,
                                                Function<T, Stream<T>> shrinker, Check<T> property) {
        T shrunk = sample;
        Throwable shrunkFailure = failure;
        int steps = 0;
        boolean smaller = true;
        while (smaller && steps < MAX_SHRINK_STEPS) {
            smaller = false;
            Iterator<T> candidates = shrinker.apply(shrunk).limit(MAX_CANDIDATES_PER_STEP).iterator();
            while (candidates.hasNext()) {
                T candidate = candidates.next();
                Throwable candidateFailure = failureOf(property, candidate);
                if (candidateFailure != null) {
                    shrunk = candidate;
                    shrunkFailure = candidateFailure;
                    steps++;
                    smaller = true;
                    break;
                }
            }
        }
        String message = String.format(Locale.ROOT, "Property '%s' falsified at try %d (seed = %d; rerun with -D%s=%d)"
                        + "%n  shrunk sample (%d shrinking steps): %s%n  original sample: %s%n  failure of the shrunk"
                        + " sample: %s",
                name, attempt + 1, seed, SEED_PROPERTY, seed, steps, shrunk, sample, shrunkFailure);
        AssertionError error = new AssertionError(message, shrunkFailure);
        if (shrunkFailure != failure) {
            error.addSuppressed(failure);
        }
        return error;
    }

    private static <T> Throwable failureOf(Check<T> property, T sample) {
        try {
            property.check(sample, new Tally());
            return null;
        } catch (Discard discarded) {
            return null;
        } catch (Throwable failure) {
            return failure;
        }
    }

    private static long seed() {
        String configured = System.getProperty(SEED_PROPERTY);
        return configured == null || configured.isBlank() ? new SecureRandom().nextLong()
                : Long.parseLong(configured.strip());
    }

    private static double factor() {
        String configured = System.getProperty(FACTOR_PROPERTY);
        return configured == null || configured.isBlank() ? 1.0 : Double.parseDouble(configured.strip());
    }

    /** A well-spread seed per try (SplitMix64's finaliser), so that neighbouring tries share nothing. */
    private static long mix(long seed, int attempt) {
        long z = seed + 0x9E3779B97F4A7C15L * (attempt + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
