package com.hsrcpay.apikeys.query.audit.history;

import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

@Configuration(proxyBeanMethods = false)
public class KeyHistoryConfiguration {

    @Bean
    KeyHistory keyHistory(EventStore eventStore) {
        return new KeyHistory(eventStore);
    }

    @Bean
    ChainVerifier chainVerifier(JdbcTemplate jdbc) {
        return new ChainVerifier(jdbc);
    }
}
