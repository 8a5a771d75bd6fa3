package com.hsrcpay.apikeys.query.eventstore;

import com.hsrcpay.apikeys.eventstore.EventStoreAutoConfiguration;
import com.hsrcpay.apikeys.eventstore.EventStoreSettings;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** What of the query side depends on where the events are ({@code kms.event-store.type}). */
@Configuration(proxyBeanMethods = false)
public class EventStoreModeConfiguration {

    @Bean
    @ConditionalOnProperty(name = EventStoreAutoConfiguration.TYPE, havingValue = EventStoreAutoConfiguration.POSTGRES,
            matchIfMissing = true)
    EventStoreHead postgresEventStoreHead(JdbcTemplate jdbc) {
        return new PostgresEventStoreHead(jdbc);
    }

    @Bean
    @ConditionalOnProperty(name = EventStoreAutoConfiguration.TYPE,
            havingValue = EventStoreAutoConfiguration.AXON_SERVER)
    EventStoreHead axonServerEventStoreHead(EventStore eventStore) {
        return new AxonServerEventStoreHead(eventStore);
    }

    @Bean
    EventStoreTables eventStoreTables(EventStoreSettings settings) {
        return new EventStoreTables(settings.type());
    }
}
