package com.hsrcpay.apikeys.query.audit.history;

import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.query.ReadsPoolConfiguration;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
public class KeyHistoryConfiguration {

    @Bean
    KeyHistory keyHistory(EventStore eventStore) {
        return new KeyHistory(eventStore);
    }

    @Bean
    ChainVerifier chainVerifier(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads) {
        return new ChainVerifier(reads.jdbc());
    }
}
