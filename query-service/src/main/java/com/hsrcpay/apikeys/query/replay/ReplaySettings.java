package com.hsrcpay.apikeys.query.replay;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kms.replay.*}: how often a running replay logs its progress; whether a replay takes the bulk path
 * ({@link BulkReplay}, PostgreSQL event store only) or Axon's processor event by event; the bulk's chunk size.
 */
@ConfigurationProperties("kms.replay")
public record ReplaySettings(@DefaultValue("5000") long logIntervalMs,
                             @DefaultValue("true") boolean bulk,
                             @DefaultValue("20000") int bulkChunkEvents) {
}
