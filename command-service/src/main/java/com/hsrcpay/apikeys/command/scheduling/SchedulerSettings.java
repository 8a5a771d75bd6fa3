package com.hsrcpay.apikeys.command.scheduling;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kms.scheduler.*} (env {@code KMS_SCHEDULER_…}): the durable deadlines' table (Flyway V2), how often each
 * instance looks for due deadlines (the worst-case delay of an expiry event), its threads, its heartbeat (an instance
 * silent for 6 beats is dead and its picked deadlines run elsewhere), how long a stop waits for running deadlines, and
 * the retry of a failed deadline (from {@code retry-initial-ms}, doubling, at most {@code retry-max-ms}).
 */
@ConfigurationProperties("kms.scheduler")
public record SchedulerSettings(@DefaultValue("command_side.scheduled_tasks") String tableName,
                                @DefaultValue("1000") long pollingIntervalMs,
                                @DefaultValue("4") int threads,
                                @DefaultValue("30000") long heartbeatIntervalMs,
                                @DefaultValue("10000") long shutdownMaxWaitMs,
                                @DefaultValue("1000") long retryInitialMs,
                                @DefaultValue("300000") long retryMaxMs) {
}
