package io.github.apikey.spring.metrics;

import io.github.apikey.core.observation.VerificationObserver;
import io.github.apikey.core.observation.VerificationOutcome;
import io.github.apikey.core.observation.VerificationPath;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Records every verification in the timer {@value #METER_NAME}, tagged {@code outcome} and {@code path} and, when
 * asked, {@code key.id}. A timer counts as well as times, so its count is the number of verifications (Micrometer:
 * never count what you can time). Without the key-id tag every timer is registered up front and found by index, so
 * that a verification costs two clock readings and one recording; with it, the timer of a key is looked up on each
 * verification.
 */
public final class MicrometerVerificationObserver implements VerificationObserver {

    public static final String METER_NAME = "apikey.verifications";

    /** The {@code key.id} tag's value for verifications that proved no key: refused before the secret matched. */
    public static final String NO_KEY_ID = "none";

    private static final String DESCRIPTION = "API key verifications, by outcome and by where they were answered";

    private final MeterRegistry registry;
    private final Clock clock;
    private final boolean keyIdTag;
    private final Timer[][] timers;

    public MicrometerVerificationObserver(MeterRegistry registry, boolean keyIdTag) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.clock = registry.config().clock();
        this.keyIdTag = keyIdTag;
        VerificationOutcome[] outcomes = VerificationOutcome.values();
        VerificationPath[] paths = VerificationPath.values();
        this.timers = new Timer[outcomes.length][paths.length];
        if (!keyIdTag) {
            for (VerificationOutcome outcome : outcomes) {
                for (VerificationPath path : paths) {
                    timers[outcome.ordinal()][path.ordinal()] = builder(outcome, path).register(registry);
                }
            }
        }
    }

    private static Timer.Builder builder(VerificationOutcome outcome, VerificationPath path) {
        return Timer.builder(METER_NAME).description(DESCRIPTION)
                .tag("outcome", outcome.tagValue()).tag("path", path.tagValue());
    }

    @Override
    public Verifying start() {
        return new Sample(clock.monotonicTime());
    }

    private final class Sample implements Verifying {

        private final long startedAt;

        Sample(long startedAt) {
            this.startedAt = startedAt;
        }

        @Override
        public void end(VerificationOutcome outcome, VerificationPath path, String keyId) {
            long nanos = clock.monotonicTime() - startedAt;
            Timer timer = keyIdTag
                    ? builder(outcome, path).tag("key.id", keyId == null ? NO_KEY_ID : keyId).register(registry)
                    : timers[outcome.ordinal()][path.ordinal()];
            timer.record(nanos, TimeUnit.NANOSECONDS);
        }
    }

    @Override
    public String toString() {
        return "MicrometerVerificationObserver[keyIdTag=" + keyIdTag + "]";
    }
}
