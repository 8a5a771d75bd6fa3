package com.hsrcpay.apikeys.query.replay;

import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.query.eventstore.EventStoreHead;
import com.hsrcpay.apikeys.query.key.application.ReadYourWrites;
import com.hsrcpay.apikeys.query.key.projection.KeyListProjection;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.tokenstore.TokenStore;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReplaySettings.class)
public class ReplayConfiguration {

    /**
     * The key list replays on the bulk path when the events are in PostgreSQL (Axon's storage engine is there to read
     * them) and {@code kms.replay.bulk} is on; the revocation list, small, event by event.
     */
    @Bean
    ProjectionReplays projectionReplays(EventProcessingConfiguration processing, EventStoreHead head,
                                        ReplaySettings settings, ObjectProvider<EventStorageEngine> storage,
                                        TokenStore tokens, PlatformTransactionManager transactions,
                                        KeyListProjection keyList, ReadYourWrites readYourWrites) {
        Map<String, BulkReplay> bulks = new HashMap<>();
        EventStorageEngine engine = storage.getIfAvailable();
        if (settings.bulk() && engine != null) {
            bulks.put(KeyListProjection.GROUP, new BulkReplay(KeyListProjection.GROUP, keyList::projectAll, engine,
                    tokens, new TransactionTemplate(transactions), settings.bulkChunkEvents(),
                    readYourWrites::projected));
        }
        return new ProjectionReplays(processing, head, Clock.systemUTC(), Duration.ofMillis(settings.logIntervalMs()),
                bulks);
    }

    /** After Spring Security's chain (order -100): only authenticated reads are answered 503. */
    @Bean
    FilterRegistrationBean<ReplayReadGate> replayReadGate(ProjectionReplays replays, ErrorResponses errors) {
        FilterRegistrationBean<ReplayReadGate> registration =
                new FilterRegistrationBean<>(new ReplayReadGate(replays, errors));
        registration.setOrder(0);
        registration.addUrlPatterns("/v1/api-keys", "/v1/api-keys/*", "/v1/keys/verify");
        return registration;
    }
}
