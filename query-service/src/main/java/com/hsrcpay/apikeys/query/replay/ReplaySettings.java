package com.hsrcpay.apikeys.query.replay;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code kms.replay.*}: how often a running replay logs its progress. */
@ConfigurationProperties("kms.replay")
public record ReplaySettings(@DefaultValue("5000") long logIntervalMs) {
}
