package com.hsrcpay.apikeys.database;

import com.zaxxer.hikari.HikariConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts {@link DatabaseSettings.Bounds} on a Hikari pool: the acquisition timeout on the pool, the statement and lock
 * timeouts on every session (PostgreSQL's own, so a live server cancels first), and a socket timeout in the driver
 * for a server that does not answer at all (stopped, partitioned), which nothing else would notice.
 */
final class PoolBounds {

    private PoolBounds() {
    }

    static void apply(HikariConfig pool, DatabaseSettings.Bounds bounds) {
        pool.setConnectionTimeout(bounds.acquireTimeout().toMillis());
        pool.setValidationTimeout(validationTimeoutMillis(bounds));
        // seconds, rounded up: the driver's unit
        pool.addDataSourceProperty("socketTimeout", Long.toString((bounds.socketTimeout().toMillis() + 999) / 1000));
        StringBuilder options = new StringBuilder();
        sessionSettings(bounds).forEach((name, millis) -> options.append(options.isEmpty() ? "" : " ")
                .append("-c ").append(name).append('=').append(millis));
        pool.addDataSourceProperty("options", options.toString());
    }

    /**
     * Hikari checks an idle connection inside the caller's wait but on its own clock: with the check as long as the
     * acquisition timeout, a caller handed a dead connection waited for both (a 1 s request bound became 2 s). A
     * quarter of the wait leaves room to find another; Hikari's floor is 250 ms.
     */
    private static long validationTimeoutMillis(DatabaseSettings.Bounds bounds) {
        return Math.max(250, Math.min(bounds.acquireTimeout().toMillis() / 4, 1000));
    }

    /** The bounds PostgreSQL enforces itself, as its settings in milliseconds: for a session or one transaction. */
    static Map<String, Long> sessionSettings(DatabaseSettings.Bounds bounds) {
        Map<String, Long> settings = new LinkedHashMap<>();
        settings.put("statement_timeout", bounds.statementTimeout().toMillis());
        settings.put("lock_timeout", bounds.lockTimeout().toMillis());
        return settings;
    }
}
