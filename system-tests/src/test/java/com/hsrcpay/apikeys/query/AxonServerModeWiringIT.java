package com.hsrcpay.apikeys.query;

import com.hsrcpay.apikeys.eventstore.ListeningEventSource;
import org.axonframework.axonserver.connector.command.AxonServerCommandBus;
import org.axonframework.axonserver.connector.event.axon.AxonServerEventStore;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.common.ProcessRetriesExhaustedException;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The wiring of the {@code axonserver} profile where no Docker engine runs an Axon Server: both services started in
 * the profile against a closed port. The command service starts (the connector keeps trying in the background); the
 * query service cannot, because its processors ask Axon Server for their start position, which is checked here as
 * evidence that they stream from Axon Server. What Axon Server itself does is {@link AxonServerModeIT}'s.
 */
class AxonServerModeWiringIT {

    private static SystemUnderTest system;
    private static ConfigurableApplicationContext commandService;
    private static String[] axonServerMode;

    @BeforeAll
    static void startTheCommandServiceInTheProfile() {
        system = SystemUnderTest.onFreshDatabase();
        axonServerMode = new String[]{"--spring.profiles.active=axonserver",
                "--KMS_AXONSERVER_SERVERS=localhost:" + closedPort()};
        commandService = system.startCommandService(axonServerMode);
    }

    @AfterAll
    static void stop() {
        if (system != null) {
            system.close();
        }
    }

    @Test
    void theCommandServiceStoresEventsInAxonServerAndRoutesCommandsThroughIt() {
        assertThat(commandService.getBean(EventStore.class)).isInstanceOf(AxonServerEventStore.class);
        assertThat(commandService.getBean(CommandBus.class)).isInstanceOf(AxonServerCommandBus.class);
        assertThat(commandService.getBeanNamesForType(EventStorageEngine.class)).isEmpty();
        assertThat(commandService.getBeanNamesForType(ListeningEventSource.class)).isEmpty();
        assertThat(eventStoreTable()).isNull();
        // its own tables stay in PostgreSQL
        assertThat(system.jdbc().queryForObject("SELECT to_regclass('command_side.idempotent_request')::text",
                String.class)).isEqualTo("command_side.idempotent_request");
    }

    @Test
    void theQueryServicesProcessorsAskAxonServerForTheirStartPositionNotPostgres() {
        assertThatThrownBy(() -> system.startQueryService(axonServerMode))
                .hasRootCauseInstanceOf(ProcessRetriesExhaustedException.class)
                .hasStackTraceContaining(PooledStreamingEventProcessor.class.getName() + ".start");
        // it got as far as its read model (tokens included) but never created a PostgreSQL event store
        assertThat(system.jdbc().queryForObject("SELECT to_regclass('read_model.token_entry')::text",
                String.class)).isEqualTo("read_model.token_entry");
        assertThat(eventStoreTable()).isNull();
    }

    private static String eventStoreTable() {
        return system.jdbc().queryForObject("SELECT to_regclass('event_store.domain_event_entry')::text",
                String.class);
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
