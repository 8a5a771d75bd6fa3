package com.hsrcpay.apikeys.verification.usage;

import com.hsrcpay.apikeys.testsupport.TestDatabase;
import com.hsrcpay.apikeys.testsupport.TestPostgres;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A fresh database on the shared real PostgreSQL with the usage_control schema migrated as the services migrate it,
 * and engines on it, each with a pool of its own (as two instances would have).
 */
final class UsageDatabase implements AutoCloseable {

    final TestDatabase database = TestPostgres.newDatabase();
    private final List<HikariDataSource> pools = new ArrayList<>();

    UsageDatabase() {
        UsageControlSchema.migrate(database.jdbcUrl(), database.username(), database.password());
    }

    HikariDataSource pool(int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername(database.username());
        config.setPassword(database.password());
        config.setMaximumPoolSize(size);
        HikariDataSource pool = new HikariDataSource(config);
        pools.add(pool);
        return pool;
    }

    UsageControl engine(UsageControlSettings settings, Clock clock) {
        HikariDataSource pool = pool(8);
        UUID instanceId = UUID.randomUUID();
        return new UsageControl(new RateWindows(pool, instanceId, settings.maxKeys()),
                new CreditBalances(pool, instanceId, settings, System::nanoTime), clock, settings);
    }

    static UsageControlSettings settings(long syncIntervalMs, long leaseValidityMs, long leaseReclaimAfterMs,
                                         long leaseIdleMs) {
        return new UsageControlSettings(true, syncIntervalMs, 100, 16, leaseValidityMs, leaseReclaimAfterMs, leaseIdleMs,
                100_000, 10_000, 200_000);
    }

    @Override
    public void close() {
        pools.forEach(HikariDataSource::close);
    }
}
