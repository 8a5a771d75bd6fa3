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
        WriteTurns.Turn first = turns.await("Bearer storm", "192.0.2.1");
        WriteTurns.Turn second = turns.await("Bearer storm", "192.0.2.1");
        long started = System.nanoTime();
        WriteTurns.Turn third = turns.await("Bearer storm", "192.0.2.1");
        long waitedMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(third).as("no turn within the wait").isNull();
        assertThat(waitedMillis).as("it waited for a turn first").isGreaterThanOrEqualTo(150);
    }

    @Test
    void aTurnGivenBackLetsTheNextWriteIn() throws Exception {
        WriteTurns.Turn first = turns.await("Bearer storm", "192.0.2.1");
        turns.await("Bearer storm", "192.0.2.1");
        first.close();

        assertThat(turns.await("Bearer storm", "192.0.2.1")).isNotNull();
    }

    @Test
    void anotherCredentialIsNotBehindTheStorm() throws Exception {
        turns.await("Bearer storm", "192.0.2.1");
        turns.await("Bearer storm", "192.0.2.1");

        assertThat(turns.await("Bearer bystander", "192.0.2.1")).isNotNull();
    }

    @Test
    void writesWithoutACredentialTakeTheTurnsOfTheirClientAddress() throws Exception {
        turns.await(null, "192.0.2.1");
        turns.await(null, "192.0.2.1");

        assertThat(turns.await(null, "192.0.2.1")).as("that address's third at once").isNull();
        assertThat(turns.await(null, "198.51.100.7")).as("another address is not behind it").isNotNull();
        assertThat(turns.await("Bearer someone", "192.0.2.1")).as("nor a credential from the same address")
                .isNotNull();
    }

    @Test
    void atLeastOneWriteAtATime() {
        assertThatThrownBy(() -> new WriteTurns.Limits(0, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
