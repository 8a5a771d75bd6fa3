package com.hsrcpay.apikeys.localstack.gateway;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Two writes of a credential at once, the next in line waits its bounded turn; other credentials never wait. */
class WriteTurnsTest {

    private final WriteTurns turns = new WriteTurns(new WriteTurns.Limits(2, Duration.ofMillis(200)));

    @Test
    void aThirdWriteOfOneCredentialGetsNoTurnWhileTwoAreInFlight() throws Exception {
        WriteTurns.Turn first = turns.await("Bearer storm");
        WriteTurns.Turn second = turns.await("Bearer storm");
        long started = System.nanoTime();
        WriteTurns.Turn third = turns.await("Bearer storm");
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(third).as("no turn within the wait").isNull();
        assertThat(waitedMillis).as("it waited for a turn first").isGreaterThanOrEqualTo(150);
    }

    @Test
    void aTurnGivenBackLetsTheNextWriteIn() throws Exception {
        WriteTurns.Turn first = turns.await("Bearer storm");
        turns.await("Bearer storm");
        first.close();

        assertThat(turns.await("Bearer storm")).isNotNull();
    }

    @Test
    void anotherCredentialIsNotBehindTheStorm() throws Exception {
        turns.await("Bearer storm");
        turns.await("Bearer storm");

        assertThat(turns.await("Bearer bystander")).isNotNull();
    }

    @Test
    void atLeastOneWriteAtATime() {
        assertThatThrownBy(() -> new WriteTurns.Limits(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
