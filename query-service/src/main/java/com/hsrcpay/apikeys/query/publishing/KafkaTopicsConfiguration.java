package com.hsrcpay.apikeys.query.publishing;

import com.hsrcpay.apikeys.query.transparency.Checkpoints;
import com.hsrcpay.apikeys.query.transparency.TransparencySettings;
import com.hsrcpay.apikeys.shared.message.CheckpointRecords;
import com.hsrcpay.apikeys.shared.message.KeyEventHeaders;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.config.TopicBuilder;
import org.springframework.kafka.core.KafkaTemplate;

import java.time.Duration;

/**
 * The topics, created with the right configuration at startup when missing (Spring Kafka's admin), and the publisher
 * of the transparency log's checkpoints.
 */
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

    /** One partition (one record key, the origin) and kept forever: the public history of the log's heads. */
    @Bean
    NewTopic checkpointsTopic(KafkaSettings settings) {
        return TopicBuilder.name(CheckpointRecords.TOPIC).partitions(1).replicas(settings.replicationFactor())
                .config(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE)
                .config(TopicConfig.RETENTION_MS_CONFIG, "-1")
                .config(TopicConfig.RETENTION_BYTES_CONFIG, "-1")
                .build();
    }

    @Bean
    CheckpointPublisher checkpointPublisher(KafkaTemplate<String, byte[]> kafka, Checkpoints checkpoints,
                                            KafkaSettings settings, TransparencySettings transparency) {
        return new CheckpointPublisher(kafka, checkpoints, Duration.ofMillis(settings.ackTimeoutMs()),
                Duration.ofMillis(transparency.checkpointIntervalMs()));
    }
}
