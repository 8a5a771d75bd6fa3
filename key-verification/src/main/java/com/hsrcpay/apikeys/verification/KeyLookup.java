package com.hsrcpay.apikeys.verification;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.KeyStatus;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.Permissions;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** The read model's key lookup by secret hash, and the reason a dead secret stopped. */
public class KeyLookup {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = EventJson.newObjectMapper();

    public KeyLookup(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<KeyRecord> bySecret(String sha256) {
        return jdbc.query("""
                SELECT k.key_id, k.account_id, k.mode, k.type, k.permissions, k.status, k.deleted, k.expires_at,
                       s.valid_until, s.secret_sha256, k.ratelimits::text AS ratelimits, k.credits::text AS credits
                FROM read_model.key_secret s JOIN read_model.api_key k ON k.key_id = s.key_id
                WHERE s.secret_sha256 = ?""", (rs, row) -> new KeyRecord(
                rs.getObject("key_id", UUID.class), rs.getString("account_id"), Mode.fromWire(rs.getString("mode")),
                KeyType.valueOf(rs.getString("type")), permissions(rs.getString("permissions")),
                KeyStatus.valueOf(rs.getString("status")), rs.getBoolean("deleted"),
                instant(rs.getObject("expires_at", OffsetDateTime.class)),
                instant(rs.getObject("valid_until", OffsetDateTime.class)), rs.getString("secret_sha256"),
                read(rs.getString("ratelimits"), new TypeReference<List<RateLimit>>() { }),
                rs.getString("credits") == null ? null : read(rs.getString("credits"), new TypeReference<Credits>() { })),
                sha256).stream().findFirst();
    }

    /** Why a secret no longer works and whose it was, if the revocation list knows it. */
    public Optional<DeadSecret> deadSecret(String sha256) {
        return jdbc.query("SELECT reason, account_id, mode FROM read_model.revocation WHERE secret_sha256 = ?",
                (rs, row) -> new DeadSecret(rs.getString("reason"),
                        new KeyOwner(rs.getString("account_id"), Mode.fromWire(rs.getString("mode")))),
                sha256).stream().findFirst();
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Permissions permissions(String text) {
        try {
            return Permissions.of(json.readValue(text, new TypeReference<Map<String, List<String>>>() { }));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static java.time.Instant instant(OffsetDateTime value) {
        return value == null ? null : value.toInstant();
    }
}
