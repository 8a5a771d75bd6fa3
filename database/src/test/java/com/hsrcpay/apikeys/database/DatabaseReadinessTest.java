package com.hsrcpay.apikeys.database;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The readiness check against a database that stops answering and comes back: the check is a blocking call that
 * does not return while the "database" is gone (what a stopped server does to a socket read), released at will.
 */
class DatabaseReadinessTest {

    private static final Duration TIMEOUT = Duration.ofMillis(600);
    private static final Duration RECHECK = Duration.ofMillis(100);

    private final StallingDatabase database = new StallingDatabase();
    private final DatabaseReadiness readiness = new DatabaseReadiness(database::select1, () -> { }, TIMEOUT, RECHECK);

    @AfterEach
    void close() throws Exception {
        database.back();
        readiness.close();
    }

    @Test
    void anAnsweringDatabaseIsUp() {
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
        assertThat(database.checks.get()).isEqualTo(1);
    }

    @Test
    void theFirstCheckOfAnOutageWaitsTheFullTimeoutThenEveryLaterProbeWaitsAtMostTheRecheck() {
        database.gone();
        Timed first = Timed.health(readiness);
        assertThat(first.health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(first.health.getDetails()).containsEntry("reason", "no answer within 600 ms");
        assertThat(first.millis).isGreaterThanOrEqualTo(TIMEOUT.toMillis());

        // the stuck check ends (a socket timeout), the outage goes on: each probe either starts a check and waits
        // the recheck for it, or finds that check still stuck and answers at once
        database.failStuckChecks();
        for (int i = 0; i < 5; i++) {
            Timed later = Timed.health(readiness);
            assertThat(later.health.getStatus()).as("probe %d of the outage", i).isEqualTo(Status.DOWN);
            assertThat(later.health.getDetails().get("reason")).as("probe %d of the outage", i)
                    .isIn("no answer within 100 ms", "the previous check has not answered yet");
            assertThat(later.millis).as("probe %d of the outage (ms)", i).isLessThan(TIMEOUT.toMillis());
        }
    }

    @Test
    void aCheckStillStuckIsNotStackedUpOn() {
        database.gone();
        Timed.health(readiness);
        int checks = database.checks.get();
        Timed second = Timed.health(readiness);
        assertThat(second.health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(second.health.getDetails()).containsEntry("reason", "the previous check has not answered yet");
        assertThat(database.checks.get()).isEqualTo(checks);
    }

    @Test
    void aDatabaseThatIsBackIsUpOnTheFirstProbeAfterTheStuckCheckEnded() {
        database.gone();
        assertThat(readiness.health().getStatus()).isEqualTo(Status.DOWN);
        database.back();
        await().atMost(Duration.ofSeconds(5)).until(() -> database.inFlight.get() == 0);
        // after a failed check, UP means answered within the recheck: a slower answer is waited for no longer
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void aFailingCheckIsDownWithoutItsMessage() {
        database.refusing();
        Health health = readiness.health();
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).containsEntry("error", "SQLException")
                .doesNotContainValue("password authentication failed for user kms");
    }

    private record Timed(Health health, long millis) {
        static Timed health(DatabaseReadiness readiness) {
            long started = System.nanoTime();
            Health health = readiness.health();
            return new Timed(health, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        }
    }

    /** SELECT 1 that answers, blocks until released, or fails. */
    private static final class StallingDatabase {
        private final AtomicInteger checks = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private volatile CountDownLatch stall = new CountDownLatch(0);
        private volatile boolean refusing;

        Integer select1() throws Exception {
            checks.incrementAndGet();
            inFlight.incrementAndGet();
            try {
                return answer();
            } finally {
                inFlight.decrementAndGet();
            }
        }

        private Integer answer() throws Exception {
            if (refusing) {
                throw new SQLException("password authentication failed for user kms");
            }
            CountDownLatch current = stall;
            // released by the next state: a stuck read then ends as the driver's socket timeout would end it
            if (!current.await(30, TimeUnit.SECONDS) || stall != current) {
                throw new SQLException("socket timeout");
            }
            return 1;
        }

        void gone() {
            stall = new CountDownLatch(1);
        }

        /** The checks stuck so far end with an error; the database stays gone for the next ones. */
        void failStuckChecks() {
            release(new CountDownLatch(1));
        }

        void back() {
            release(new CountDownLatch(0));
        }

        private void release(CountDownLatch next) {
            CountDownLatch stuck = stall;
            stall = next;
            stuck.countDown();
        }

        void refusing() {
            refusing = true;
        }
    }
}
