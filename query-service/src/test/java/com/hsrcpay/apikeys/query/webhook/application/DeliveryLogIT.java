package com.hsrcpay.apikeys.query.webhook.application;

import com.hsrcpay.apikeys.testsupport.TestPostgres;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The delivery log on real PostgreSQL while the sender records attempts: a page shows each delivery as one committed
 * state, its attempts and its next attempt from the same moment. (Read in two statements, a page could list an
 * attempt beside the next attempt time from before it: WebhookDeliveryIT saw that once on CI.)
 */
class DeliveryLogIT {

    private static final Instant BASE = Instant.parse("2026-12-01T12:00:00Z");
    private static final int ATTEMPTS = 1500;

    @Test
    void aPageShowsADeliverysAttemptsAndNextAttemptFromOneCommittedStateWhileTheSenderRecords() throws Exception {
        DataSource dataSource = TestPostgres.newDatabase().dataSource();
        Flyway.configure().dataSource(dataSource).schemas("read_model").defaultSchema("read_model")
                .locations("classpath:db/read-model").load().migrate();
        JdbcTemplate setup = new JdbcTemplate(dataSource);
        UUID endpoint = UUID.randomUUID();
        UUID delivery = UUID.randomUUID();
        setup.update("INSERT INTO read_model.webhook_endpoint (id, account_id, mode, url, events, status, created_at,"
                + " updated_at) VALUES (?, 'acct_log', 'live', 'https://example.com/h', ARRAY['*'], 'enabled', ?, ?)",
                endpoint, ts(BASE), ts(BASE));
        setup.update("""
                INSERT INTO read_model.webhook_delivery (id, endpoint_id, source, key_id, type, body, status, created_at,
                    next_attempt_at) VALUES (?, ?, ?, ?, 'api_key.created', '{}'::bytea, 'pending', ?, ?)""",
                delivery, endpoint, "event:" + delivery, UUID.randomUUID(), ts(BASE), ts(BASE));

        try (SingleConnectionDataSource writerConnection = new SingleConnectionDataSource(dataSource.getConnection(), true);
             SingleConnectionDataSource readerConnection = new SingleConnectionDataSource(dataSource.getConnection(), true)) {
            // the sender's shape of one attempt: the attempt and the delivery's next time in one transaction
            JdbcTemplate writer = new JdbcTemplate(writerConnection);
            TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(writerConnection));
            CompletableFuture<Void> sender = CompletableFuture.runAsync(() -> {
                for (int n = 1; n <= ATTEMPTS; n++) {
                    int number = n;
                    transactions.executeWithoutResult(status -> {
                        writer.update("INSERT INTO read_model.webhook_attempt (delivery_id, number, at, status_code,"
                                + " latency_ms) VALUES (?, ?, ?, 500, 1)", delivery, number, ts(BASE));
                        writer.update("UPDATE read_model.webhook_delivery SET next_attempt_at = ? WHERE id = ?",
                                ts(BASE.plusSeconds(number)), delivery);
                    });
                }
            });

            DeliveryLog log = new DeliveryLog(new JdbcTemplate(readerConnection), () -> { });
            List<String> torn = new ArrayList<>();
            int pages = 0;
            while (!sender.isDone()) {
                DeliveryLog.Delivery shown = log.page(endpoint, 1, 10).get(0);
                pages++;
                Instant expected = BASE.plusSeconds(shown.attempts().size());
                if (!shown.nextAttemptAt().equals(expected)) {
                    torn.add(shown.attempts().size() + " attempts beside next " + shown.nextAttemptAt());
                }
            }
            sender.get(1, TimeUnit.SECONDS);

            assertThat(pages).as("pages read while the sender wrote").isGreaterThan(100);
            assertThat(torn).as("pages of %d showing attempts and a next time of different moments", pages).isEmpty();
            DeliveryLog.Delivery last = log.page(endpoint, 1, 10).get(0);
            assertThat(last.attempts()).hasSize(ATTEMPTS);
            assertThat(last.nextAttemptAt()).isEqualTo(BASE.plusSeconds(ATTEMPTS));
        }
    }

    private static Timestamp ts(Instant instant) {
        return Timestamp.from(instant);
    }
}
