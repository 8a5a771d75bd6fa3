package com.hsrcpay.apikeys.command.key.revocation;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.axonframework.common.Registration;
import org.axonframework.eventhandling.EventBus;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.util.Map;

/** Wiring of {@link PromptRevocations}: its producer, its topic check, and its place on the event bus (both modes). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PromptRevocationSettings.class)
@ConditionalOnProperty(name = "kms.revocations.prompt.enabled", havingValue = "true", matchIfMissing = true)
public class PromptRevocationConfiguration {

    private static final String BOOTSTRAP_SERVERS = "spring.kafka.bootstrap-servers";

    @Bean(destroyMethod = "close")
    RevocationTopic revocationTopic(Environment environment) {
        return new RevocationTopic(environment.getRequiredProperty(BOOTSTRAP_SERVERS));
    }

    @Bean(destroyMethod = "close")
    PromptRevocations promptRevocations(Environment environment, PromptRevocationSettings settings,
                                        RevocationTopic revocationTopic, ObjectProvider<MeterRegistry> meters) {
        // the publisher's producer settings (idempotent, acks=all, no linger), with short bounds: it is best effort
        Map<String, Object> config = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, environment.getRequiredProperty(BOOTSTRAP_SERVERS),
                ProducerConfig.CLIENT_ID_CONFIG, "command-service-prompt-revocations",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, settings.maxBlock().toMillis(),
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.toIntExact(settings.deliveryTimeout().toMillis()),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Math.toIntExact(settings.deliveryTimeout().toMillis()));
        return new PromptRevocations(new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()),
                revocationTopic, settings.queue(), meters.getIfAvailable(SimpleMeterRegistry::new));
    }

    @Bean
    Registration promptRevocationsOnTheEventBus(EventBus eventBus, PromptRevocations promptRevocations) {
        return eventBus.registerDispatchInterceptor(promptRevocations);
    }
}
