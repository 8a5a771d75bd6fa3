package com.hsrcpay.apikeys.query.publishing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.net.URI;

/**
 * {@code kms.kafka.*} (env {@code KMS_KAFKA_…}): partitions and replication of the topics created at start when
 * missing, how long a publishing batch waits for Kafka's acknowledgements before it is retried, and the CloudEvents
 * {@code ce_source} of {@code api-key-events} records (a URI reference naming this producer).
 */
@ConfigurationProperties("kms.kafka")
public record KafkaSettings(@DefaultValue("3") int partitions,
                            @DefaultValue("1") short replicationFactor,
                            @DefaultValue("30000") long ackTimeoutMs,
                            @DefaultValue("/hsrcpay/api-keys") URI eventSource) {
}
