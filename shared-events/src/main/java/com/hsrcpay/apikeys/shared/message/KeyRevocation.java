package com.hsrcpay.apikeys.shared.message;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * The value of a record on the compacted topic {@code api-key-revocations} (record key: the key id).
 * {@code secretSha256} is the secret that stopped working with this record; {@code revokedSecretSha256s} is
 * every secret of the key known to be dead so far, so the latest record per key (all that compaction keeps)
 * still names every revoked secret. {@code keyRevoked} is false only for a secret that stopped while the key lives on
 * (a rotation, or a previous secret exposed during its grace). Never a tombstone.
 */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record KeyRevocation(
        String eventId,
        String keyId,
        String accountId,
        String applicationId,
        String mode,
        String secretSha256,
        List<String> revokedSecretSha256s,
        Reason reason,
        boolean keyRevoked,
        Instant revokedAt) {

    public static final String TOPIC = "api-key-revocations";

    public enum Reason {
        REVOKED, DELETED, ROTATED, EXPIRED, EXPOSED;

        @JsonValue
        public String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        public static Reason fromWire(String value) {
            return valueOf(value.toUpperCase(Locale.ROOT));
        }
    }
}
