package com.hsrcpay.apikeys.query.processing;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kms.processing.*}: how often instances sharing one read model beat ({@code heartbeat-ms}); one silent for
 * three beats is gone and its share of the segments moves.
 */
@ConfigurationProperties("kms.processing")
public record ProcessingSettings(@DefaultValue("2000") long heartbeatMs) {
}
