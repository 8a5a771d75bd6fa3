package com.hsrcpay.apikeys.query.publishing;

import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;

/** The two topics, created with the right configuration at startup when missing (Spring Kafka's admin). */
@Configuration(proxyBeanMethods = false)
public class KafkaTopicsConfiguration {

    @Bean
    NewTopic keyEventsTopic(@Value("${kms.kafka.partitions:3}") int partitions,
                            @Value("${kms.kafka.replication-factor:1}") short replicationFactor) {
        return TopicBuilder.name(KeyEventHeaders.TOPIC).partitions(partitions).replicas(replicationFactor).build();
    }

    /** Compacted: the latest record per key stays forever, so a new consumer still learns every revocation. */
    @Bean
    NewTopic keyRevocationsTopic(@Value("${kms.kafka.partitions:3}") int partitions,
                                 @Value("${kms.kafka.replication-factor:1}") short replicationFactor) {
        return TopicBuilder.name(KeyRevocation.TOPIC).partitions(partitions).replicas(replicationFactor)
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT)
                .config(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "1")
                .build();
    }
}
