package com.hsrcpay.apikeys.query.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.database.DedicatedPool;
import com.hsrcpay.apikeys.database.DedicatedPools;
import com.hsrcpay.apikeys.query.ReadsPoolConfiguration;
import com.hsrcpay.apikeys.query.webhook.application.DeliveryLog;
import com.hsrcpay.apikeys.query.webhook.application.DeliveryMetrics;
import com.hsrcpay.apikeys.query.webhook.application.DeliveryRetention;
import com.hsrcpay.apikeys.query.webhook.application.HostResolver;
import com.hsrcpay.apikeys.query.webhook.application.WebhookBodies;
import com.hsrcpay.apikeys.query.webhook.application.WebhookClock;
import com.hsrcpay.apikeys.query.webhook.application.WebhookEndpoints;
import com.hsrcpay.apikeys.query.webhook.application.WebhookOutbox;
import com.hsrcpay.apikeys.query.webhook.application.WebhookSender;
import com.hsrcpay.apikeys.query.webhook.application.WebhookSigningSecrets;
import com.hsrcpay.apikeys.query.webhook.model.DeliveryTargets;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.UUID;

/**
 * Webhooks (issue 15): the endpoints' API on the request pool, the outbox processor on the processors' connection
 * (so its rows commit with its token), and the sender on a pool of its own, so slow receivers never hold connections
 * that projections or requests wait for.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebhookSettings.class)
public class WebhooksConfiguration {

    private static final Logger log = LoggerFactory.getLogger(WebhooksConfiguration.class);

    @Bean
    WebhookSigningSecrets webhookSigningSecrets(WebhookSettings settings) {
        if (settings.secretKey().isEmpty()) {
            log.warn("kms.webhooks.secret-key is not set: webhook signing secrets hold for this process only");
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return new WebhookSigningSecrets(random);
        }
        return new WebhookSigningSecrets(settings.secretKey().getBytes(StandardCharsets.UTF_8));
    }

    @Bean
    DeliveryTargets deliveryTargets(WebhookSettings settings) {
        return new DeliveryTargets(settings.allowLocalTargets());
    }

    @Bean
    @ConditionalOnMissingBean
    HostResolver hostResolver() {
        return HostResolver.system();
    }

    @Bean
    @ConditionalOnMissingBean
    WebhookClock webhookClock() {
        return new WebhookClock(Clock.systemUTC());
    }

    @Bean(destroyMethod = "close")
    DedicatedPool webhookSenderPool(DedicatedPools pools) {
        return pools.create("webhooks", 3);
    }

    @Bean
    DeliveryMetrics webhookDeliveryMetrics(ObjectProvider<MeterRegistry> meters) {
        return new DeliveryMetrics(meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean(destroyMethod = "close")
    WebhookSender webhookSender(@Qualifier("webhookSenderPool") DedicatedPool pool, WebhookSigningSecrets secrets,
                                DeliveryTargets targets, HostResolver resolver, WebhookClock clock,
                                WebhookSettings settings, DeliveryMetrics metrics) {
        return new WebhookSender(pool.jdbc(), new TransactionTemplate(new DataSourceTransactionManager(pool.dataSource())),
                secrets, targets, resolver, clock.clock(), settings, metrics);
    }

    @Bean
    DeliveryRetention webhookDeliveryRetention(@Qualifier("webhookSenderPool") DedicatedPool pool, WebhookClock clock,
                                               WebhookSettings settings) {
        return new DeliveryRetention(pool.jdbc(), clock.clock(), settings.retention(), settings.retentionBatchSize(),
                settings.retentionInterval());
    }

    @Bean
    WebhookOutbox webhookOutbox(JdbcTemplate jdbc, EventStore eventStore, ObjectMapper objectMapper,
                                WebhookSender sender) {
        return new WebhookOutbox(jdbc, eventStore, new WebhookBodies(objectMapper), sender);
    }

    @Bean
    WebhookEndpoints webhookEndpoints(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads,
                                      DeliveryTargets targets, HostResolver resolver, WebhookSigningSecrets secrets,
                                      Clock clock) {
        return new WebhookEndpoints(reads.jdbc(), targets, resolver, secrets, clock, UUID::randomUUID);
    }

    @Bean
    DeliveryLog deliveryLog(@Qualifier(ReadsPoolConfiguration.READS_POOL) DedicatedPool reads, WebhookSender sender) {
        return new DeliveryLog(reads.jdbc(), sender::wake);
    }
}
