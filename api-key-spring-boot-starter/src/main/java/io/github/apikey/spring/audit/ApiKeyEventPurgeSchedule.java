package io.github.apikey.spring.audit;

import io.github.apikey.core.service.ApiKeyService;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.support.CronTrigger;

/**
 * Runs {@link ApiKeyService#purgeEvents} on a cron schedule, on a thread of its own, so that applications need no
 * {@code @EnableScheduling}. Every instance may run it: the chain's lock orders the purges, the first deletes and the
 * others find nothing old enough. A failed purge is logged and tried again at the next run.
 */
public final class ApiKeyEventPurgeSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ApiKeyEventPurgeSchedule.class);

    private final ApiKeyService service;
    private final Duration retention;
    private final String cron;
    private ThreadPoolTaskScheduler scheduler;
    private ScheduledFuture<?> scheduled;

    /** @param cron a Spring cron expression; {@code null}: never, {@link #purge()} runs only when called */
    public ApiKeyEventPurgeSchedule(ApiKeyService service, Duration retention, String cron) {
        this.service = service;
        this.retention = retention;
        this.cron = cron;
    }

    /** One purge now, as the schedule runs it. */
    public void purge() {
        try {
            service.purgeEvents(retention).ifPresent(event -> log.info("Purged API key audit events older than {} "
                    + "(recorded as event {})", retention, event.sequence()));
        } catch (RuntimeException failed) {
            log.warn("The purge of old API key audit events failed; it runs again at its next time", failed);
        }
    }

    @Override
    public synchronized void start() {
        if (cron == null) {
            return;
        }
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("api-key-audit-purge-");
        scheduler.setDaemon(true);
        scheduler.initialize();
        scheduled = scheduler.schedule(this::purge, new CronTrigger(cron));
    }

    @Override
    public synchronized void stop() {
        if (scheduled != null) {
            scheduled.cancel(false);
        }
        if (scheduler != null) {
            scheduler.shutdown();
        }
        scheduler = null;
        scheduled = null;
    }

    @Override
    public synchronized boolean isRunning() {
        return scheduled != null;
    }
}
