package com.hsrcpay.apikeys.query.audit.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.shared.json.EventJson;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Recomputes a key's {@link EventChain} from the raw rows of {@code event_store.domain_event_entry} (payload and
 * metadata as stored, not deserialized events, so an edited row is caught even when it no longer deserializes) and
 * compares each digest with the one stored at write time. The first row whose recomputed digest differs from its
 * stored one, whose digest is missing, whose payload does not parse or whose sequence number leaves a gap breaks the
 * chain; every later digest is recomputed from the recomputed predecessor, so one edit cannot hide behind another.
 */
public class ChainVerifier {

    private final JdbcTemplate jdbc;
    private final ObjectMapper json = EventJson.newObjectMapper();

    public ChainVerifier(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** The verdict on the key's chain; empty when the key does not exist or belongs to another account or mode. */
    public Optional<ChainVerdict> verify(AccountId account, Mode mode, KeyId keyId) {
        List<Row> rows = jdbc.query("""
                SELECT sequence_number, payload_type, payload, meta_data FROM event_store.domain_event_entry
                WHERE aggregate_identifier = ? ORDER BY sequence_number""",
                (rs, n) -> new Row(rs.getLong(1), rs.getString(2), rs.getBytes(3), rs.getBytes(4)),
                keyId.toString());
        if (rows.isEmpty() || !ownedBy(rows, account, mode, keyId)) {
            return Optional.empty();
        }
        String previous = EventChain.GENESIS;
        Long brokenAt = null;
        long expectedSequence = 0;
        for (Row row : rows) {
            String recomputed;
            try {
                recomputed = EventChain.digestOfStored(previous, keyId.toString(), row.sequence(), row.payloadType(),
                        row.payload());
            } catch (IllegalArgumentException e) {
                recomputed = null;
            }
            String stored = EventChain.storedDigest(row.metaData());
            boolean ok = row.sequence() == expectedSequence && recomputed != null && recomputed.equals(stored);
            if (!ok) {
                brokenAt = row.sequence();
                break;
            }
            previous = recomputed;
            expectedSequence++;
        }
        return Optional.of(new ChainVerdict(brokenAt == null, rows.size(), brokenAt));
    }

    /**
     * Whether the key is the caller's: by the read model's row when the key is projected (written when the event was,
     * so an edited event row cannot move the key to another account), else by the first event row that parses.
     */
    private boolean ownedBy(List<Row> rows, AccountId account, Mode mode, KeyId keyId) {
        List<Boolean> projected = jdbc.query("SELECT account_id = ? AND mode = ? FROM read_model.api_key WHERE key_id = ?",
                (rs, n) -> rs.getBoolean(1), account.value(), mode.wireName(), keyId.value());
        if (!projected.isEmpty()) {
            return projected.get(0);
        }
        for (Row row : rows) {
            try {
                JsonNode payload = json.readTree(row.payload());
                JsonNode rowAccount = payload == null ? null : payload.get("accountId");
                JsonNode rowMode = payload == null ? null : payload.get("mode");
                if (rowAccount != null && rowMode != null) {
                    return Objects.equals(rowAccount.asText(), account.value())
                            && Objects.equals(rowMode.asText(), mode.wireName());
                }
            } catch (IOException e) {
                // an edited row: ownership comes from the next one
            }
        }
        return false;
    }

    private record Row(long sequence, String payloadType, byte[] payload, byte[] metaData) {
    }
}
