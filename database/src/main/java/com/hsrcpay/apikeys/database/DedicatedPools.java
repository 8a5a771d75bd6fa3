package com.hsrcpay.apikeys.database;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;

/**
 * Makes the dedicated pools, on the same database as the primary one, each named {@code kms-<name>} (its Hikari
 * metrics carry that name) and sized by {@code kms.db.pools.<name>}.
 */
public final class DedicatedPools {

    private final DataSourceProperties database;
    private final DatabaseSettings settings;
    private final MeterRegistry meters;

    DedicatedPools(DataSourceProperties database, DatabaseSettings settings, MeterRegistry meters) {
        this.database = database;
        this.settings = settings;
        this.meters = meters;
    }

    /** A new pool for {@code name}: {@code defaultSize} connections unless configured otherwise, request bounds. */
    public DedicatedPool create(String name, int defaultSize) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("kms-" + name);
        config.setJdbcUrl(database.determineUrl());
        config.setUsername(database.determineUsername());
        config.setPassword(database.determinePassword());
        config.setMaximumPoolSize(settings.poolSize(name, defaultSize));
        config.setMinimumIdle(1);
        // a pool that cannot connect at start still starts: its requests fail fast until the database is back
        config.setInitializationFailTimeout(-1);
        PoolBounds.apply(config, settings.request());
        if (meters != null) {
            config.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(meters));
        }
        return new DedicatedPool(new HikariDataSource(config));
    }
}
