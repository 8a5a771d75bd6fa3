package com.hsrcpay.apikeys.query.key;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code kms.read.*}: the longest a read waits for its consistency token (env {@code KMS_READ_CONSISTENCY_MAX_WAIT_MS}). */
@ConfigurationProperties("kms.read")
public record ReadSettings(@DefaultValue("2000") long consistencyMaxWaitMs) {
}
