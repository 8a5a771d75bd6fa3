package com.hsrcpay.apikeys.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Other bounds for one transaction on a pooled connection: a read that streams (the audit export's cursor) runs many
 * fetches, each of which may take longer than a request's one statement, yet must still end when the database stops
 * answering. The statement and lock timeouts are {@code SET LOCAL} (they end with the transaction), the socket
 * timeout is the connection's network timeout (Hikari restores the pool's when the connection is returned).
 */
public final class TransactionBounds {

    private TransactionBounds() {
    }

    /** Applies {@code bounds} to the transaction open on {@code connection} (autocommit off). */
    public static void apply(Connection connection, DatabaseSettings.Bounds bounds) throws SQLException {
        if (connection.getAutoCommit()) {
            throw new IllegalStateException("SET LOCAL needs a transaction: autocommit is on");
        }
        StringBuilder sql = new StringBuilder();
        // whole milliseconds from configuration, not client input; the same settings a pool's sessions get
        PoolBounds.sessionSettings(bounds).forEach((name, millis) -> sql.append("SET LOCAL ").append(name)
                .append(" = ").append(millis).append(';'));
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql.toString());
        }
        connection.setNetworkTimeout(Runnable::run, Math.toIntExact(bounds.socketTimeout().toMillis()));
    }
}
