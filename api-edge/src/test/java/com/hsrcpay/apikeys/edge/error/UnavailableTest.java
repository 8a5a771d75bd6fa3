package com.hsrcpay.apikeys.edge.error;

import org.junit.jupiter.api.Test;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;

class UnavailableTest {

    @Test
    void slowOrStuckResourcesAreTransient() {
        assertThat(Unavailable.isTransient(new RuntimeException("Could not get connection",
                new SQLTransientConnectionException("HikariPool-1 - Connection is not available")))).isTrue();
        assertThat(Unavailable.isTransient(new SQLException("canceling statement due to statement timeout", "57014")))
                .isTrue();
        assertThat(Unavailable.isTransient(new SQLException("lock timeout", "55P03"))).isTrue();
        assertThat(Unavailable.isTransient(new SQLException("An I/O error occurred", "08006",
                new SocketTimeoutException("Read timed out")))).isTrue();
        assertThat(Unavailable.isTransient(new IllegalStateException(new SocketTimeoutException()))).isTrue();
        // a commit on a connection the socket timeout closed: Spring reports the failed rollback
        assertThat(Unavailable.isTransient(new org.springframework.transaction.TransactionSystemException(
                "JDBC rollback failed", new SQLException("Connection is closed")))).isTrue();
        assertThat(Unavailable.isTransient(new org.springframework.dao.QueryTimeoutException("slow"))).isTrue();
    }

    @Test
    void realFailuresAreNot() {
        assertThat(Unavailable.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(Unavailable.isTransient(new SQLException("syntax error", "42601"))).isFalse();
        assertThat(Unavailable.isTransient(new IllegalStateException("bug"))).isFalse();
        assertThat(Unavailable.isTransient(null)).isFalse();
    }
}
