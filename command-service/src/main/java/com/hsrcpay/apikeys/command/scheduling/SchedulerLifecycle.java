package com.hsrcpay.apikeys.command.scheduling;

import com.github.kagkarlsson.scheduler.Scheduler;
import org.springframework.context.SmartLifecycle;

/**
 * Starts polling the deadline table once the application (Axon's command handling and aggregate repositories
 * included) is up, and stops it before they shut down: after the web server has stopped accepting requests, before
 * Axon's own lifecycle (its highest phase is far below this one). Scheduling and cancelling work regardless: they
 * are plain writes to the table.
 */
class SchedulerLifecycle implements SmartLifecycle {

    /** Below the web server (DEFAULT_PHASE - 2048) so it starts before and stops after; above every Axon phase. */
    static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final Scheduler scheduler;
    private volatile boolean running;

    SchedulerLifecycle(Scheduler scheduler) {
        this.scheduler = scheduler;
    }

    @Override
    public void start() {
        scheduler.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        scheduler.stop();
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
