package com.hsrcpay.apikeys.database;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A connection pool of its own for one kind of work (idempotency claims, deadlines, key lookups and last use,
 * request reads), with request bounds. Deliberately not a {@code DataSource} bean: Spring's own pool and
 * transactions stay the one primary {@code DataSource}.
 */
public final class DedicatedPool implements AutoCloseable {

    private final HikariDataSource dataSource;
    private final JdbcTemplate jdbc;

    DedicatedPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public HikariDataSource dataSource() {
        return dataSource;
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
