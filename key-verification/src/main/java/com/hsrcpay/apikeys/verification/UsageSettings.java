package com.hsrcpay.apikeys.verification;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/** {@code kms.usage.*}: how often recorded last uses are written ({@code flush-interval-ms}, well inside 2 s). */
@ConfigurationProperties("kms.usage")
public record UsageSettings(@DefaultValue("500") long flushIntervalMs) {
}
