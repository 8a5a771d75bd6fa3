package com.hsrcpay.apikeys.query.transparency;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Every interval, signs a checkpoint if the tree grew (publishing is the publisher's, on its own schedule). A failing
 * round (database away) is logged and the next one tries again; a daemon thread, so it never blocks shutdown.
 */
public class CheckpointSchedule implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSchedule.class);

    private final Checkpoints checkpoints;
    private final Duration interval;
    private ScheduledExecutorService executor;

    public CheckpointSchedule(Checkpoints checkpoints, Duration interval) {
        this.checkpoints = checkpoints;
        this.interval = interval;
    }

    void round() {
        try {
            checkpoints.signIfGrown().ifPresent(signed ->
                    log.debug("checkpoint signed: tree size {}", signed.treeSize()));
        } catch (RuntimeException e) {
            log.warn("no checkpoint signed this round, retrying in {} ms: {}", interval.toMillis(), e.toString());
        }
    }

    @Override
    public synchronized void start() {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "transparency-checkpoints");
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(this::round, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
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
