package com.hsrcpay.apikeys.query.webhook;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import java.time.Duration;

/**
 * {@code kms.webhooks.*} (env {@code KMS_WEBHOOKS_…}).
 *
 * @param secretKey          the master key the endpoints' signing secrets are derived from (at least 32 characters;
 *                           a secret like the JWT secret, the same on every instance). Empty: a key made at start for
 *                           this process only (tests): secrets shown before a restart then stop matching
 * @param allowLocalTargets  the local profile: {@code http(s)://localhost} and {@code http(s)://127.0.0.1} on any port
 *                           may receive webhooks. Off in production
 * @param pollIntervalMs     how often the sender looks for due deliveries when nothing woke it
 * @param timeoutMs          one delivery's bound, connection to response headers (the contract: 10 s)
 * @param maxBodyBytes       the largest body sent; a larger one fails without a request
 * @param senderThreads      deliveries in flight at once per instance
 * @param claimMs            how long a sender owns a delivery it took; after that another instance may take it
 * @param retention          how long a delivery that ended (succeeded or failed) stays in the log with its attempts;
 *                           pending deliveries are kept whatever their age
 * @param retentionBatchSize deliveries deleted per statement by the retention job (short transactions)
 * @param retentionInterval  how often the retention job runs
 */
@ConfigurationProperties("kms.webhooks")
public record WebhookSettings(@DefaultValue("") String secretKey,
                              @DefaultValue("false") boolean allowLocalTargets,
                              @DefaultValue("250") long pollIntervalMs,
                              @DefaultValue("10000") long timeoutMs,
                              @DefaultValue("65536") int maxBodyBytes,
                              @DefaultValue("8") int senderThreads,
                              @DefaultValue("60000") long claimMs,
                              @DefaultValue("30d") Duration retention,
                              @DefaultValue("1000") int retentionBatchSize,
                              @DefaultValue("1h") Duration retentionInterval) {

    public WebhookSettings {
        if (!secretKey.isEmpty() && secretKey.length() < 32) {
            throw new IllegalArgumentException("kms.webhooks.secret-key must have at least 32 characters");
        }
        if (timeoutMs < 1 || timeoutMs > 10_000) {
            throw new IllegalArgumentException("kms.webhooks.timeout-ms must be 1..10000, not " + timeoutMs);
        }
        if (claimMs <= timeoutMs) {
            throw new IllegalArgumentException("kms.webhooks.claim-ms must exceed kms.webhooks.timeout-ms");
        }
        if (retention.isNegative() || retention.isZero() || retentionInterval.isNegative()
                || retentionInterval.isZero()) {
            throw new IllegalArgumentException("kms.webhooks.retention and retention-interval must be positive");
        }
        if (retentionBatchSize < 1 || retentionBatchSize > 10_000) {
            throw new IllegalArgumentException("kms.webhooks.retention-batch-size must be 1..10000, not "
                    + retentionBatchSize);
        }
    }

    @Override
    public String toString() {
        return "WebhookSettings[secretKey=" + (secretKey.isEmpty() ? "none" : "***") + ", allowLocalTargets="
                + allowLocalTargets + ", pollIntervalMs=" + pollIntervalMs + ", timeoutMs=" + timeoutMs
                + ", maxBodyBytes=" + maxBodyBytes + ", senderThreads=" + senderThreads + ", claimMs=" + claimMs
                + ", retention=" + retention + ", retentionBatchSize=" + retentionBatchSize + ", retentionInterval="
                + retentionInterval + "]";
    }
}
