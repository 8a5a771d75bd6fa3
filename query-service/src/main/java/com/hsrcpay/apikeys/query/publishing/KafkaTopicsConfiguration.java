package com.hsrcpay.apikeys.query.publishing;

import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The two topics, created with the right configuration at startup when missing (Spring Kafka's admin). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(KafkaSettings.class)
public class KafkaTopicsConfiguration {

    @Bean
    NewTopic keyEventsTopic(KafkaSettings settings) {
        return TopicBuilder.name(KeyEventHeaders.TOPIC).partitions(settings.partitions())
                .replicas(settings.replicationFactor()).build();
    }

    /** Compacted: the latest record per key stays forever, so a new consumer still learns every revocation. */
    @Bean
    NewTopic keyRevocationsTopic(KafkaSettings settings) {
        return TopicBuilder.name(KeyRevocation.TOPIC).partitions(settings.partitions())
                .replicas(settings.replicationFactor())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1")
                .build();
    }
}
