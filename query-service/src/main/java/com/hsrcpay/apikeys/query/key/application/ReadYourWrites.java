package com.hsrcpay.apikeys.query.key.application;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Lets a read wait (bounded) until the projection holds a key at the version a write returned. Projection
 * commits in this process wake waiters at once; a short re-check also catches commits of other instances.
 */
public class ReadYourWrites {

    private static final long RECHECK_MILLIS = 25;

    private final JdbcTemplate jdbc;
    private final Duration maxWait;
    private final Object commits = new Object();

    public ReadYourWrites(JdbcTemplate jdbc, Duration maxWait) {
        this.jdbc = jdbc;
        this.maxWait = maxWait;
    }

    /** Called after every committed projection batch. */
    public void projected() {
        synchronized (commits) {
            commits.notifyAll();
        }
    }

    /** True once the key is projected at {@code version} or later; false when the wait ran out. */
    public boolean awaitVersion(UUID keyId, long version) {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            List<Long> current = jdbc.queryForList("SELECT version FROM read_model.api_key WHERE key_id = ?",
                    Long.class, keyId);
            if (!current.isEmpty() && current.get(0) >= version) {
                return true;
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            synchronized (commits) {
                try {
                    commits.wait(Math.max(1, Math.min(RECHECK_MILLIS, left / 1_000_000)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }
}
