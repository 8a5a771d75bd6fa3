package com.hsrcpay.apikeys.query.replay;

import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import com.hsrcpay.apikeys.query.eventstore.EventStoreHead;

import java.time.Clock;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
public class ReplayConfiguration {

    @Bean
    ProjectionReplays projectionReplays(EventProcessingConfiguration processing, EventStoreHead head,
                                        @Value("${kms.replay.log-interval-ms:5000}") long logIntervalMillis) {
        return new ProjectionReplays(processing, head, Clock.systemUTC(), Duration.ofMillis(logIntervalMillis));
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
