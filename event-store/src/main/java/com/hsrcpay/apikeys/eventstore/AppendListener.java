package com.hsrcpay.apikeys.eventstore;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * LISTENs on the channel the event table's trigger notifies at every committed append and wakes the
 * processors' event source at once. One dedicated connection, blocking waits: no polling load on the database.
 * While the connection is down, the source's fallback timer still delivers events.
 */
public class AppendListener implements SmartLifecycle {

    static final String CHANNEL = "kms_events_appended";
    private static final Logger log = LoggerFactory.getLogger(AppendListener.class);
    private static final int WAIT_MILLIS = 500;

    private final DataSource dataSource;
    private final ListeningEventSource eventSource;
    private final long fallbackNanos;
    private volatile boolean running;
    private Thread thread;

    public AppendListener(DataSource dataSource, ListeningEventSource eventSource, Duration fallback) {
        this.dataSource = dataSource;
        this.eventSource = eventSource;
        this.fallbackNanos = fallback.toNanos();
    }

    @Override
    public synchronized void start() {
        running = true;
        thread = new Thread(this::listen, "kms-event-append-listener");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private void listen() {
        long backoff = 100;
        while (running) {
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(true);
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = connection.unwrap(PGConnection.class);
                eventSource.eventsAppended(); // catch up on anything appended while not listening
                backoff = 100;
                long lastSignal = System.nanoTime();
                while (running) {
                    PGNotification[] notifications = pg.getNotifications(WAIT_MILLIS);
                    boolean notified = notifications != null && notifications.length > 0;
                    // the timer covers a notification lost to a connection that died unnoticed
                    if (notified || System.nanoTime() - lastSignal >= fallbackNanos) {
                        eventSource.eventsAppended();
                        lastSignal = System.nanoTime();
                    }
                }
            } catch (SQLException e) {
                if (!running) {
                    return;
                }
                log.warn("Event append listener lost its connection ({}); retrying in {} ms", e.getMessage(), backoff);
                eventSource.eventsAppended();
                try {
                    Thread.sleep(backoff); // reconnect backoff; the fallback timer still delivers events meanwhile
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }
}
