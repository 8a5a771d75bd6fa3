package com.hsrcpay.apikeys.command.scheduling;

import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * The deadline scheduler's connections. Inside a command's transaction: that transaction's own connection, so a
 * deadline is scheduled or cancelled atomically with the event that asks for it. Outside (polling for due deadlines,
 * marking them picked and done): a pool of its own, so a burst of requests holding the request pool never delays an
 * expiry, and the scheduler never takes a connection a request waits for.
 */
final class SchedulerConnections extends DelegatingDataSource {

    private final DataSource transactional;
    private final TransactionAwareDataSourceProxy inTransaction;

    SchedulerConnections(DataSource transactional, DataSource own) {
        super(own);
        this.transactional = transactional;
        this.inTransaction = new TransactionAwareDataSourceProxy(transactional);
    }

    @Override
    public Connection getConnection() throws SQLException {
        if (TransactionSynchronizationManager.getResource(transactional) != null) {
            return inTransaction.getConnection();
        }
        return super.getConnection();
    }
}
