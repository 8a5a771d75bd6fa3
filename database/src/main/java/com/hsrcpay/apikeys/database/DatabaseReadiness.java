package com.hsrcpay.apikeys.database;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

import java.time.Duration;
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
 */
final class DatabaseReadiness extends AbstractHealthIndicator implements AutoCloseable {

    private final DedicatedPool pool;
    private final Duration timeout;
    private final ExecutorService checker = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "kms-db-readiness");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicReference<Future<Integer>> running = new AtomicReference<>();

    DatabaseReadiness(DedicatedPool pool, Duration timeout) {
        super("Database check failed");
        this.pool = pool;
        this.timeout = timeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        Future<Integer> previous = running.get();
        if (previous != null && !previous.isDone()) {
            builder.down().withDetail("reason", "the previous check has not answered yet");
            return;
        }
        Future<Integer> check = checker.submit(() -> pool.jdbc().queryForObject("SELECT 1", Integer.class));
        running.set(check);
        try {
            check.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            builder.up().withDetail("database", "PostgreSQL");
        } catch (TimeoutException e) {
            builder.down().withDetail("reason", "no answer within " + timeout.toMillis() + " ms");
        }
    }

    @Override
    public void close() {
        checker.shutdownNow();
        pool.close();
    }
}
