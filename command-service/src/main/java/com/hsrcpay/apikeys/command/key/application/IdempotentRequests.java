package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.Map;
import java.util.UUID;

/**
 * Durable Idempotency-Key claims: the first request with a key reserves the key id it will create; every
 * retry (also after a restart, also concurrent ones) finds the same id and the fingerprint of the first body.
 */
public class IdempotentRequests {

    private final JdbcTemplate jdbc;

    public IdempotentRequests(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The claim for this key: ours if we were first, else the one recorded by the first request. */
    public Claim claim(AccountId account, Mode mode, String idempotencyKey, String requestSha256, KeyId proposedKeyId) {
        jdbc.update("""
                INSERT INTO command_side.idempotent_request (account_id, mode, idempotency_key, request_sha256, key_id)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (account_id, mode, idempotency_key) DO NOTHING""",
                account.value(), mode.wireName(), idempotencyKey, requestSha256, proposedKeyId.value());
        return jdbc.queryForObject("""
                SELECT request_sha256, key_id FROM command_side.idempotent_request
                WHERE account_id = ? AND mode = ? AND idempotency_key = ?""",
                (rs, row) -> new Claim(rs.getString(1), new KeyId(rs.getObject(2, UUID.class))),
                account.value(), mode.wireName(), idempotencyKey);
    }

    public record Claim(String requestSha256, KeyId keyId) {
    }

    /** 409: this Idempotency-Key was first used with another request. */
    static KeyCommandRejected reused() {
        return new KeyCommandRejected(Rejection.IDEMPOTENCY_KEY_REUSED,
                "This Idempotency-Key was used with a different request",
                Map.of("reason", "idempotency_key_reused", "field", "Idempotency-Key"));
    }
}
