package com.hsrcpay.apikeys.query.operations;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code kms.health.*}: how long readiness waits for Kafka to describe itself. */
@ConfigurationProperties("kms.health")
public record HealthSettings(@DefaultValue("2000") int kafkaTimeoutMs) {
}
