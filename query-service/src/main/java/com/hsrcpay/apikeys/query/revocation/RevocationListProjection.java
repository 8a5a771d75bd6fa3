package com.hsrcpay.apikeys.query.revocation;

import com.hsrcpay.apikeys.shared.event.KeyEvent;
import com.hsrcpay.apikeys.shared.message.KeyRevocation;
import com.hsrcpay.apikeys.shared.message.Revocations;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.ResetHandler;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The revocation list: one row per secret that stopped working, with key, account, application, mode,
 * reason and time. Upserts keep the first revocation of a secret, so redelivery changes nothing.
 */
@Component
@ProcessingGroup(RevocationListProjection.GROUP)
public class RevocationListProjection {

    public static final String GROUP = "revocation-list";

    private final JdbcTemplate jdbc;

    public RevocationListProjection(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @EventHandler
    void on(KeyEvent event, EventMessage<?> message) {
        Revocations.of(event, message.getIdentifier()).ifPresent(this::record);
    }

    @ResetHandler
    void reset() {
        jdbc.update("TRUNCATE read_model.revocation");
    }

    private void record(KeyRevocation revocation) {
        for (String hash : revocation.revokedSecretSha256s()) {
            jdbc.update("""
                    INSERT INTO read_model.revocation
                        (secret_sha256, key_id, account_id, application_id, mode, reason, revoked_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (secret_sha256) DO NOTHING""",
                    hash, UUID.fromString(revocation.keyId()), revocation.accountId(),
                    revocation.applicationId() == null ? null : UUID.fromString(revocation.applicationId()),
                    revocation.mode(), revocation.reason().wireName(), revocation.revokedAt().atOffset(ZoneOffset.UTC));
        }
    }
}
