package com.hsrcpay.apikeys.query.key.application;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.edge.envelope.KeyCredits;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Credits;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Reads of the key list and of single keys, always within one account and mode. */
public class KeyReads {

    private static final String COLUMNS = """
            k.key_id, account_id, application_id, name, type, secret_hint, metadata, permissions, status,
            expires_at, managed, deleted, created_at, updated_at, version, ratelimits, credits, last_refill_at, u.last_used_at,
            u.last_used_ip""";
    // last use is kept beside the projection (it is not an event), so a replay never loses it
    private static final String FROM = " FROM read_model.api_key k LEFT JOIN read_model.key_usage u ON u.key_id = k.key_id";

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = EventJson.newObjectMapper();
    private final RowMapper<ApiKeyObject> rows = this::toObject;
    private final LiveCredits liveCredits;

    /**
     * The live remaining credits of keys (usage control's balance: the events' value less what verifications spent),
     * at most a second behind; keys it does not know keep the value their events set.
     */
    @FunctionalInterface
    public interface LiveCredits {
        Map<UUID, Long> remaining(Collection<UUID> keyIds);
    }

    public KeyReads(JdbcTemplate jdbc, LiveCredits liveCredits) {
        this.jdbc = jdbc;
        this.liveCredits = liveCredits;
    }

    /** One page, newest first (ties broken by id), soft-deleted keys left out. */
    public KeyPage list(AccountId account, Mode mode, Boolean managed, int page, int limit) {
        String where = " WHERE account_id = ? AND mode = ? AND NOT deleted" + (managed == null ? "" : " AND managed = ?");
        List<Object> args = new ArrayList<>(List.of(account.value(), mode.wireName()));
        if (managed != null) {
            args.add(managed);
        }
        Long total = jdbc.queryForObject("SELECT count(*) FROM read_model.api_key" + where, Long.class, args.toArray());
        List<Object> pageArgs = new ArrayList<>(args);
        pageArgs.add(limit);
        pageArgs.add((long) (page - 1) * limit);
        List<ApiKeyObject> keys = jdbc.query("SELECT " + COLUMNS + FROM + where
                + " ORDER BY created_at DESC, k.key_id DESC LIMIT ? OFFSET ?", rows, pageArgs.toArray());
        return new KeyPage(withLiveCredits(keys), total == null ? 0 : total);
    }

    /** The key, deleted ones included; empty when it belongs to another account or mode. */
    public Optional<ApiKeyObject> get(AccountId account, Mode mode, UUID keyId) {
        return withLiveCredits(jdbc.query("SELECT " + COLUMNS + FROM
                + " WHERE k.key_id = ? AND account_id = ? AND mode = ?", rows, keyId, account.value(), mode.wireName()))
                .stream().findFirst();
    }

    private List<ApiKeyObject> withLiveCredits(List<ApiKeyObject> keys) {
        List<UUID> limited = keys.stream().filter(key -> key.credits() != null).map(key -> UUID.fromString(key.id()))
                .toList();
        if (limited.isEmpty()) {
            return keys;
        }
        Map<UUID, Long> live = liveCredits.remaining(limited);
        return keys.stream().map(key -> {
            Long remaining = key.credits() == null ? null : live.get(UUID.fromString(key.id()));
            return remaining == null ? key : key.withRemainingCredits(remaining);
        }).toList();
    }

    private ApiKeyObject toObject(ResultSet rs, int row) throws SQLException {
        UUID applicationId = rs.getObject("application_id", UUID.class);
        return new ApiKeyObject(ApiKeyObject.OBJECT, rs.getObject("key_id", UUID.class).toString(),
                rs.getString("account_id"), applicationId == null ? null : applicationId.toString(),
                rs.getString("name"), rs.getString("type"), rs.getString("secret_hint"), rs.getString("last_used_ip"),
                read(rs.getString("metadata"), new TypeReference<Map<String, Object>>() { }),
                read(rs.getString("permissions"), new TypeReference<Map<String, List<String>>>() { }),
                rs.getString("status"), instant(rs, "last_used_at"), instant(rs, "expires_at"), rs.getBoolean("managed"),
                rs.getBoolean("deleted"), instant(rs, "created_at"), instant(rs, "updated_at"), rs.getLong("version"),
                read(rs.getString("ratelimits"), new TypeReference<List<RateLimit>>() { }),
                rs.getString("credits") == null ? null : KeyCredits.of(read(rs.getString("credits"),
                        new TypeReference<Credits>() { }), instant(rs, "last_refill_at")));
    }

    private <T> T read(String text, TypeReference<T> type) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    public record KeyPage(List<ApiKeyObject> keys, long total) {
    }
}
