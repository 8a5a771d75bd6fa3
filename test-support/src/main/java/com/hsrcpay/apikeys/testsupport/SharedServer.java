package com.hsrcpay.apikeys.testsupport;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A server started lazily, at most once per JVM, and stopped by a JVM shutdown hook. A start failure is remembered
 * and rethrown to every later caller instead of retrying an expensive start in every test class.
 *
 * @param <S> the handle of the running server
 */
final class SharedServer<S> {

    private static final Logger LOG = LoggerFactory.getLogger(SharedServer.class);

    private final String name;

    private final Supplier<S> starter;

    private final Consumer<S> stopper;

    private S running;

    private RuntimeException failure;

    private final AtomicBoolean startRequested = new AtomicBoolean();

    SharedServer(String name, Supplier<S> starter, Consumer<S> stopper) {
        this.name = name;
        this.starter = starter;
        this.stopper = stopper;
    }

    /**
     * Starts the server on a daemon thread unless already started or starting, so that it overlaps with other
     * start-up work; {@link #get()} then waits for it. A failure is reported by {@link #get()}, not here.
     */
    void startInBackground() {
        if (!startRequested.compareAndSet(false, true)) {
            return;
        }
        Thread starter = new Thread(() -> {
            try {
                get();
            }
            catch (RuntimeException ex) {
                LOG.debug("Background start of {} failed; reported to the next caller", name, ex);
            }
        }, "test-support-start-" + name);
        starter.setDaemon(true);
        starter.start();
    }

    synchronized S get() {
        if (running != null) {
            return running;
        }
        if (failure != null) {
            throw new IllegalStateException(failure.getMessage() + " [failed earlier in this JVM, not retried]",
                    failure);
        }
        startRequested.set(true);
        long startedAt = System.nanoTime();
        try {
            S server = starter.get();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server), "test-support-stop-" + name));
            running = server;
            LOG.info("{} started in {} ms: {}", name,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt), server);
            return server;
        }
        catch (RuntimeException | Error ex) {
            failure = new IllegalStateException("Could not start " + name + " for tests: " + ex.getMessage(), ex);
            throw failure;
        }
    }

    private void stop(S server) {
        try {
            stopper.accept(server);
        }
        catch (RuntimeException ex) {
            LOG.warn("Could not stop {} cleanly", name, ex);
        }
    }
}
