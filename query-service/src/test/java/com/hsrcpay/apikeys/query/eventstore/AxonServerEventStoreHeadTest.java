package com.hsrcpay.apikeys.query.eventstore;

import org.axonframework.eventhandling.GlobalSequenceTrackingToken;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The head as Axon Server's event store reports it, and the 501 of the SQL-only audit reads. */
class AxonServerEventStoreHeadTest {

    private final EventStore eventStore = mock(EventStore.class);
    private final AxonServerEventStoreHead head = new AxonServerEventStoreHead(eventStore);

    @Test
    void theHeadIsThePositionOfAxonServersHeadToken() {
        when(eventStore.createHeadToken()).thenReturn(new GlobalSequenceTrackingToken(41));
        assertThat(head.position()).isEqualTo(41);
    }

    @Test
    void anEmptyStoreHasNoHeadTokenAndAHeadBelowZero() {
        when(eventStore.createHeadToken()).thenReturn(null);
        assertThat(head.position()).isEqualTo(-1);
    }

    @Test
    void eventTimesAreNotKnownSoLagInMillisecondsIsNotGuessed() {
        assertThat(head.knowsEventTimes()).isFalse();
        assertThatThrownBy(() -> head.timeOfEventAfter(0)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void theSqlAuditReadsAnswer501InAxonServerModeOnly() {
        new EventStoreTables("postgres").require("The audit export");
        assertThat(new EventStoreTables("postgres").present()).isTrue();
        assertThatThrownBy(() -> new EventStoreTables("axonserver").require("The audit export"))
                .isInstanceOfSatisfying(com.hsrcpay.apikeys.edge.error.ApiException.class, e -> {
                    assertThat(e.error().status()).isEqualTo(501);
                    assertThat(e.error().reason()).isEqualTo(EventStoreTables.REASON);
                    assertThat(e.error().message()).startsWith("The audit export").contains("Axon Server");
                });
    }
}
