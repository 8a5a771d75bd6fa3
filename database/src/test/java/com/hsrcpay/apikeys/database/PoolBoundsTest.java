package com.hsrcpay.apikeys.database;

import com.zaxxer.hikari.HikariConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PoolBoundsTest {

    @Test
    void aRequestPoolChecksAnIdleConnectionInAQuarterOfItsWait() {
        HikariConfig pool = applied(new DatabaseSettings.RequestBounds(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofMillis(500), Duration.ofSeconds(1)));
        assertThat(pool.getConnectionTimeout()).isEqualTo(1000);
        // a dead connection found by the check still leaves three quarters of the wait for another
        assertThat(pool.getValidationTimeout()).isEqualTo(250);
        // 250 ms is also Hikari's floor: a longer wait shows the quarter itself
        HikariConfig longerWait = applied(new DatabaseSettings.RequestBounds(Duration.ofSeconds(2),
                Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1)));
        assertThat(longerWait.getValidationTimeout()).isEqualTo(500);
    }

    @Test
    void aBackgroundPoolsCheckIsCappedAtOneSecondAndAShortWaitsAtHikarisFloor() {
        HikariConfig background = applied(new DatabaseSettings.BackgroundBounds(Duration.ofSeconds(5),
                Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(15)));
        assertThat(background.getValidationTimeout()).isEqualTo(1000);
        HikariConfig shortWait = applied(new DatabaseSettings.RequestBounds(Duration.ofMillis(400),
                Duration.ofSeconds(1), Duration.ofMillis(500), Duration.ofSeconds(1)));
        assertThat(shortWait.getValidationTimeout()).isEqualTo(250);
    }

    @Test
    void theServersOwnBoundsGoOnEverySessionAndTheSocketTimeoutIsRoundedUpToSeconds() {
        HikariConfig pool = applied(new DatabaseSettings.RequestBounds(Duration.ofSeconds(1), Duration.ofMillis(1500),
                Duration.ofMillis(500), Duration.ofMillis(1200)));
        assertThat(pool.getDataSourceProperties().getProperty("options"))
                .isEqualTo("-c statement_timeout=1500 -c lock_timeout=500");
        assertThat(pool.getDataSourceProperties().getProperty("socketTimeout")).isEqualTo("2");
    }

    /** Through Hikari's own validation, which would quietly replace a value it does not accept. */
    private static HikariConfig applied(DatabaseSettings.Bounds bounds) {
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl("jdbc:postgresql://localhost:5432/none");
        PoolBounds.apply(pool, bounds);
        pool.validate();
        return pool;
    }
}
