package com.hsrcpay.apikeys.query.replay;

import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.query.eventstore.EventStoreHead;
import org.axonframework.config.EventProcessingConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;
import java.time.Duration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReplaySettings.class)
public class ReplayConfiguration {

    @Bean
    ProjectionReplays projectionReplays(EventProcessingConfiguration processing, EventStoreHead head,
                                        ReplaySettings settings) {
        return new ProjectionReplays(processing, head, Clock.systemUTC(), Duration.ofMillis(settings.logIntervalMs()));
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
