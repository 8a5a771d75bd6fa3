package com.hsrcpay.apikeys.eventstore;

import org.axonframework.common.jdbc.ConnectionProvider;
import org.axonframework.common.jdbc.PersistenceExceptionResolver;
import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.EventSchema;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.serialization.Serializer;
import org.axonframework.springboot.autoconfig.AxonAutoConfiguration;
import org.axonframework.springboot.autoconfig.JdbcAutoConfiguration;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;

import javax.sql.DataSource;
import java.time.Duration;

/**
 * The event store on PostgreSQL for both services: tables in schema {@code event_store} migrated by Flyway
 * (before Axon touches them) and duplicate keys recognised as conflicts. The default; with
 * {@code kms.event-store.type=axonserver} (the services' {@code axonserver} profile) none of these beans exist and
 * Axon's own {@code AxonServerBusAutoConfiguration} provides the event store ({@code eventStore}) on Axon Server.
 * The serializer is {@link EventSerializationAutoConfiguration}'s in both modes.
 */
@AutoConfiguration(after = EventSerializationAutoConfiguration.class,
        before = {AxonAutoConfiguration.class, JdbcAutoConfiguration.class})
@ConditionalOnProperty(name = EventStoreAutoConfiguration.TYPE, havingValue = EventStoreAutoConfiguration.POSTGRES,
        matchIfMissing = true)
public class EventStoreAutoConfiguration {

    public static final String SCHEMA = "event_store";

    /** Which event store the services use: {@value #POSTGRES} (default) or {@value #AXON_SERVER}. */
    public static final String TYPE = "kms.event-store.type";

    public static final String POSTGRES = "postgres";

    public static final String AXON_SERVER = "axonserver";

    /**
     * On a connection of its own, not the pool's: the pools bound every statement for the requests they serve, and a
     * migration may rightly take longer than a request.
     */
    @Bean
    EventStoreMigration eventStoreMigration(DataSourceProperties database) {
        MigrateResult result = Flyway.configure()
                .dataSource(database.determineUrl(), database.determineUsername(), database.determinePassword())
                .schemas(SCHEMA)
                .createSchemas(true)
                .table("flyway_event_store_history")
                .locations("classpath:db/event-store")
                .load()
                .migrate();
        return new EventStoreMigration(result.targetSchemaVersion);
    }

    /** Depends on the migration, so Axon's storage engine (built from this schema) never sees a missing table. */
    @Bean
    EventSchema eventSchema(EventStoreMigration migrated) {
        return EventSchema.builder()
                .eventTable(SCHEMA + ".domain_event_entry")
                .snapshotTable(SCHEMA + ".snapshot_event_entry")
                .globalIndexColumn("global_index")
                .timestampColumn("time_stamp")
                .eventIdentifierColumn("event_identifier")
                .aggregateIdentifierColumn("aggregate_identifier")
                .sequenceNumberColumn("sequence_number")
                .typeColumn("type")
                .payloadTypeColumn("payload_type")
                .payloadRevisionColumn("payload_revision")
                .payloadColumn("payload")
                .metaDataColumn("meta_data")
                .build();
    }

    @Bean
    PersistenceExceptionResolver persistenceExceptionResolver() {
        return new PostgresDuplicateKeyResolver();
    }

    /** Axon's JDBC storage engine on the schema above (our schema and duplicate-key resolver). */
    @Bean
    EventStorageEngine eventStorageEngine(Serializer serializer, PersistenceExceptionResolver persistenceExceptionResolver,
                                          org.axonframework.config.Configuration configuration,
                                          ConnectionProvider connectionProvider, TransactionManager transactionManager,
                                          EventSchema eventSchema) {
        return JdbcEventStorageEngine.builder()
                .snapshotSerializer(serializer)
                .eventSerializer(serializer)
                .upcasterChain(configuration.upcasterChain())
                .persistenceExceptionResolver(persistenceExceptionResolver)
                .snapshotFilter(configuration.snapshotFilter())
                .connectionProvider(connectionProvider)
                .transactionManager(transactionManager)
                .schema(eventSchema)
                .build();
    }

    /** The source the query side's processors read from, woken by {@link AppendListener}. */
    @Bean
    @ConditionalOnProperty(name = "kms.event-store.listen-for-appends", havingValue = "true")
    ListeningEventSource listeningEventSource(EventStorageEngine storageEngine) {
        return new ListeningEventSource(storageEngine);
    }

    @Bean
    @ConditionalOnProperty(name = "kms.event-store.listen-for-appends", havingValue = "true")
    AppendListener appendListener(DataSource dataSource, ListeningEventSource eventSource,
                                  EventStoreSettings settings) {
        return new AppendListener(dataSource, eventSource, Duration.ofMillis(settings.fallbackFetchMs()));
    }

    /** Marker that the event store schema is at its latest version. */
    public record EventStoreMigration(String version) {
    }
}
