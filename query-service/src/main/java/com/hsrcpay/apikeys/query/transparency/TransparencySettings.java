package com.hsrcpay.apikeys.query.transparency;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code kms.transparency.*} (env {@code KMS_TRANSPARENCY_…}).
 *
 * @param signingKey           the checkpoint signing key, a note signer key {@code PRIVATE+KEY+<name>+<id>+<key>}
 *                             (its name is the log's origin); a secret, like the JWT secret. Every instance of a
 *                             deployment has the same one. Required: an auditor keeps checkpoints to check them
 *                             years later, which a key made at start and gone at restart would make worthless
 * @param checkpointIntervalMs how often a checkpoint is signed while the tree grows (the contract: at most 10 s), and
 *                             how often unpublished checkpoints are sent to Kafka
 * @param ephemeralKeyAllowed  true lets the service start without a signing key, with one made for this process only
 *                             (tests and benchmarks that do not keep checkpoints); never in a deployment
 */
@ConfigurationProperties("kms.transparency")
public record TransparencySettings(@DefaultValue("") String signingKey,
                                   @DefaultValue("1000") long checkpointIntervalMs,
                                   @DefaultValue("false") boolean ephemeralKeyAllowed) {

    /** The origin of a key made for one process when none is configured. */
    public static final String EPHEMERAL_ORIGIN = "localhost/hsrcpay-api-keys-unconfigured";

    public TransparencySettings {
        if (signingKey.isBlank() && !ephemeralKeyAllowed) {
            throw new IllegalArgumentException("kms.transparency.signing-key (KMS_TRANSPARENCY_SIGNING_KEY) is not set: "
                    + "checkpoints must be signed by a key that outlives this process, or no auditor can check the ones "
                    + "they kept; set it to a note signer key PRIVATE+KEY+<name>+<id>+<key>, the same on every "
                    + "instance (the local stack makes one per data directory). Only for tests: "
                    + "kms.transparency.ephemeral-key-allowed=true");
        }
        if (checkpointIntervalMs < 10 || checkpointIntervalMs > 10_000) {
            throw new IllegalArgumentException("kms.transparency.checkpoint-interval-ms must be 10..10000 (checkpoints "
                    + "at least every 10 s), not " + checkpointIntervalMs);
        }
    }

    @Override
    public String toString() {
        return "TransparencySettings[signingKey=" + (signingKey.isEmpty() ? "none" : "***") + ", checkpointIntervalMs="
                + checkpointIntervalMs + ", ephemeralKeyAllowed=" + ephemeralKeyAllowed + "]";
    }
}
