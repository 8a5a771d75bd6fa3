package com.hsrcpay.apikeys.database;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The {@code db} health check, answered within {@code timeout} whatever the database does: {@code SELECT 1} on a
 * one-connection pool of its own (so a busy request pool does not make the service look dead, nor the check wait
 * for it), DOWN when the answer does not come in time. A check still stuck from before is not stacked up on.
 * <p>
 * Once a check has failed, the next ones wait only {@code recheck} for their answer: a database that is gone is
 * reported DOWN at once on every probe of the outage (not after a full timeout each time, which probes with their
 * own one-second timeout would count as failures of the service), and one that is back answers well within it.
 */
final class DatabaseReadiness extends AbstractHealthIndicator implements AutoCloseable {

    private final Callable<?> check;
    private final AutoCloseable connections;
    private final Duration timeout;
    private final Duration recheck;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "kms-db-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<Future<?>> running = new AtomicReference<>();
    private volatile boolean lastUp = true;

    DatabaseReadiness(DedicatedPool pool, Duration timeout, Duration recheck) {
        this(() -> pool.jdbc().queryForObject("SELECT 1", Integer.class), pool, timeout, recheck);
    }

    DatabaseReadiness(Callable<?> check, AutoCloseable connections, Duration timeout, Duration recheck) {
        super("Database check failed");
        this.check = check;
        this.connections = connections;
        this.timeout = timeout;
        this.recheck = recheck;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        Future<?> previous = running.get();
        if (previous != null && !previous.isDone()) {
            lastUp = false;
            builder.down().withDetail("reason", "the previous check has not answered yet");
            return;
        }
        Future<?> current = checker.submit(check);
        running.set(current);
        Duration wait = lastUp ? timeout : recheck;
        try {
            current.get(wait.toMillis(), TimeUnit.MILLISECONDS);
            lastUp = true;
            builder.up().withDetail("database", "PostgreSQL");
        } catch (TimeoutException e) {
            lastUp = false;
            builder.down().withDetail("reason", "no answer within " + wait.toMillis() + " ms");
        } catch (ExecutionException e) {
            lastUp = false;
            builder.down().withDetail("error", e.getCause().getClass().getSimpleName());
        }
    }

    @Override
    public void close() throws Exception {
        checker.shutdownNow();
        connections.close();
    }
}
