package com.hsrcpay.apikeys.query.audit.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Mode;

import javax.sql.DataSource;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/**
 * Streams an account's key events of a time window straight from {@code event_store.domain_event_entry} as NDJSON,
 * in global order, in constant memory: a server-side cursor (autocommit off, fetch size {@value #FETCH_SIZE}) is
 * read row by row and each row written to the output at once; nothing is collected.
 *
 * <p>The account is found through the expression index {@code domain_event_entry_account_idx} (event-store V3),
 * so an export reads that account's rows only. A row whose payload is not JSON (edited by hand) is not exported:
 * the auditor sees the gap in that key's sequence numbers. The account and mode are those in each event's payload ({@code accountId}, {@code mode}); the window is on the
 * payload's {@code occurredAt} (the instant the chain digest covers), {@code from} inclusive, {@code to} exclusive.
 * Each line carries the event's {@code leaf_index} in the transparency log (null while the log's writer is behind).
 */
public class AuditExport {

    static final int FETCH_SIZE = 1000;

    private static final String SQL = """
            SELECT e.global_index, e.aggregate_identifier, e.sequence_number, e.payload_type, e.payload, e.meta_data,
                   j.doc ->> 'occurredAt' AS occurred_at,
                   -- one lookup by the unique event id per row: the plan stays the account index scan in global order
                   (SELECT l.leaf_index FROM read_model.transparency_leaf l
                    WHERE l.event_identifier = e.event_identifier) AS leaf_index
            FROM event_store.domain_event_entry e
            CROSS JOIN LATERAL (SELECT event_store.event_json(e.payload) AS doc) j
            WHERE event_store.event_json(e.payload) ->> 'accountId' = ?
              AND j.doc ->> 'mode' = ?
              AND (j.doc ->> 'occurredAt')::timestamptz >= ?
              AND (j.doc ->> 'occurredAt')::timestamptz < ?
            ORDER BY e.global_index""";

    private final DataSource dataSource;
    private final JsonFactory json = new JsonFactory();

    public AuditExport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Writes one JSON object per line to {@code out}; returns the number of lines. */
    public long export(AccountId account, Mode mode, Instant from, Instant to, OutputStream out)
            throws SQLException, IOException {
        long lines = 0;
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // PostgreSQL only uses a cursor (honours the fetch size) in a transaction
            try (PreparedStatement statement = connection.prepareStatement(SQL, ResultSet.TYPE_FORWARD_ONLY,
                    ResultSet.CONCUR_READ_ONLY)) {
                statement.setFetchSize(FETCH_SIZE);
                statement.setString(1, account.value());
                statement.setString(2, mode.wireName());
                statement.setTimestamp(3, Timestamp.from(from));
                statement.setTimestamp(4, Timestamp.from(to));
                try (ResultSet rows = statement.executeQuery();
                     JsonGenerator line = json.createGenerator(out, JsonEncoding.UTF8)) {
                    line.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                    line.setRootValueSeparator(null);
                    while (rows.next()) {
                        write(rows, line);
                        line.writeRaw('\n');
                        lines++;
                        if (lines % FETCH_SIZE == 0) {
                            line.flush();
                        }
                    }
                    line.flush();
                }
            } finally {
                connection.rollback(); // read only: nothing to keep
                connection.setAutoCommit(autoCommit);
            }
        }
        return lines;
    }

    private static void write(ResultSet row, JsonGenerator line) throws SQLException, IOException {
        line.writeStartObject();
        line.writeNumberField("global_index", row.getLong("global_index"));
        line.writeStringField("key_id", row.getString("aggregate_identifier"));
        line.writeNumberField("sequence_number", row.getLong("sequence_number"));
        line.writeStringField("type", simpleName(row.getString("payload_type")));
        line.writeStringField("occurred_at", row.getString("occurred_at"));
        line.writeFieldName("payload");
        // the JSON exactly as stored (it parsed as jsonb in the query, so it is valid JSON)
        line.writeRawValue(new String(row.getBytes("payload"), StandardCharsets.UTF_8));
        byte[] meta = row.getBytes("meta_data");
        String digest = meta == null ? null : EventChain.storedDigest(meta);
        if (digest == null) {
            line.writeNullField("chain_digest");
        } else {
            line.writeStringField("chain_digest", digest);
        }
        long leafIndex = row.getLong("leaf_index");
        if (row.wasNull()) {
            line.writeNullField("leaf_index"); // not in the transparency log yet: its writer is behind
        } else {
            line.writeNumberField("leaf_index", leafIndex);
        }
        line.writeEndObject();
    }

    private static String simpleName(String typeName) {
        int cut = Math.max(typeName.lastIndexOf('.'), typeName.lastIndexOf('$'));
        return typeName.substring(cut + 1);
    }
}
