package com.hsrcpay.apikeys.query.processing;

import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A round of work every interval on a daemon thread of its own, started and stopped with the application. A round
 * deals with its own failures (logs them, the next round tries again); a daemon thread never blocks shutdown.
 */
public abstract class PeriodicTask implements SmartLifecycle {

    private final String threadName;
    private final Duration firstDelay;
    protected final Duration interval;
    private ScheduledExecutorService executor;

    protected PeriodicTask(String threadName, Duration firstDelay, Duration interval) {
        this.threadName = threadName;
        this.firstDelay = firstDelay;
        this.interval = interval;
    }

    /** One round; must not throw (a thrown exception would end the schedule). */
    protected abstract void round();

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::round, firstDelay.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }

    @Override
    public synchronized boolean isRunning() {
        return executor != null;
    }
}
