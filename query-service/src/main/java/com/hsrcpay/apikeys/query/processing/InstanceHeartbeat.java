package com.hsrcpay.apikeys.query.processing;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Keeps this instance's heartbeat going from before the event processors start until after they stopped, so the
 * segment shares are right from the first claim and peers take over only once this instance let go.
 */
class InstanceHeartbeat implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(InstanceHeartbeat.class);

    private final ProcessorInstances instances;
    private final Duration interval;
    private ScheduledExecutorService timer;

    InstanceHeartbeat(ProcessorInstances instances) {
        this.instances = instances;
        this.interval = instances.heartbeat();
    }

    @Override
    public void start() {
        beat();
        timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "kms-instance-heartbeat");
            thread.setDaemon(true); // a beat stuck on an unreachable database never holds the JVM
            return thread;
        });
        timer.scheduleWithFixedDelay(this::beat, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void beat() {
        try {
            instances.beat();
        } catch (RuntimeException e) {
            // peers see this instance as gone after three missed beats; its claims still hold until they time out
            log.warn("Instance heartbeat failed ({}); retrying in {} ms", e.getMessage(), interval.toMillis());
        }
    }

    @Override
    public void stop() {
        timer.shutdownNow();
        timer = null;
        try {
            instances.leave();
        } catch (RuntimeException e) {
            log.warn("Could not remove this instance's heartbeat ({}); peers drop it after three intervals",
                    e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return timer != null;
    }

    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 1000; // early to start, late to stop: around Axon's processors
    }
}
