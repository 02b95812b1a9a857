package io.github.apikey.spring.autoconfigure;

import io.github.apikey.core.usage.UsageRecorder;

import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;

/**
 * Writes the pending last-used times of keys when the application stops: after the web server's graceful shutdown
 * has let the last requests finish (phase {@code DEFAULT_PHASE - 1024}) and the server has stopped
 * ({@code DEFAULT_PHASE - 2048}), while the DataSource is still open (it is closed only when the beans are
 * destroyed, after every lifecycle has stopped). The recorder's own {@code close()} then writes whatever was used
 * later still, for example by a job that ran after the server stopped.
 */
public final class ApiKeyUsageFlushLifecycle implements SmartLifecycle {

    /** Stops after the web server; bean destruction, which closes the DataSource, comes later still. */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 8192;

    private static final Logger log = LoggerFactory.getLogger(ApiKeyUsageFlushLifecycle.class);

    private final ObjectProvider<UsageRecorder> recorders;
    private volatile boolean running;

    public ApiKeyUsageFlushLifecycle(ObjectProvider<UsageRecorder> recorders) {
        this.recorders = Objects.requireNonNull(recorders, "recorders");
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        recorders.orderedStream().forEach(recorder -> {
            try {
                recorder.flush();
            } catch (RuntimeException failed) {
                log.warn("Could not write the last-used times of API keys when stopping; trying again when the "
                        + "application closes: {}", failed.toString());
            }
        });
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
