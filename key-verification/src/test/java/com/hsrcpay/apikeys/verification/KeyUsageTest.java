package com.hsrcpay.apikeys.verification;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Last-use recording never blocks a request, keeps a bounded buffer and never retries a refused chunk forever. */
class KeyUsageTest {

    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final List<Integer> written = new ArrayList<>();
    private RuntimeException failure;

    private final JdbcTemplate database = new JdbcTemplate() {
        @Override
        public int[] batchUpdate(String sql, List<Object[]> rows) {
            if (failure != null) {
                throw failure;
            }
            written.add(rows.size());
            return new int[rows.size()];
        }
    };

    private KeyUsage usage(int maxPending) {
        return new KeyUsage(database, Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC), maxPending,
                meters);
    }

    private double dropped() {
        return meters.get(KeyUsage.DROPPED).counter().count();
    }

    @Test
    void theBufferIsBoundedAndWhatDoesNotFitIsCounted() {
        KeyUsage usage = usage(3);
        UUID first = UUID.randomUUID();
        usage.used(first, "203.0.113.1");
        usage.used(UUID.randomUUID(), null);
        usage.used(UUID.randomUUID(), null);
        usage.used(UUID.randomUUID(), null); // a fourth key: dropped
        usage.used(first, "203.0.113.2"); // a key already waiting: merged, not dropped
        assertThat(dropped()).isEqualTo(1);
        assertThat(meters.get("kms.usage.pending").gauge().value()).isEqualTo(3);
    }

    @Test
    void aPassingFailureKeepsTheUsesAndARefusalDropsThem() {
        KeyUsage usage = usage(100);
        usage.used(UUID.randomUUID(), null);
        failure = new CannotGetJdbcConnectionException("pool", new SQLTransientConnectionException("timeout"));
        usage.flush();
        assertThat(meters.get("kms.usage.pending").gauge().value()).as("kept for the next flush").isEqualTo(1);

        failure = new DataIntegrityViolationException("value too long for type character varying(64)");
        usage.flush();
        assertThat(meters.get("kms.usage.pending").gauge().value()).as("not retried forever").isZero();
        assertThat(dropped()).isEqualTo(1);

        failure = null;
        usage.used(UUID.randomUUID(), null);
        usage.flush();
        assertThat(written).containsExactly(1);
    }

    @Test
    void aLongBacklogIsWrittenInChunks() {
        KeyUsage usage = usage(10_000);
        for (int i = 0; i < 2_500; i++) {
            usage.used(UUID.randomUUID(), null);
        }
        usage.flush();
        assertThat(written).containsExactly(1_000, 1_000, 500);
    }
}
