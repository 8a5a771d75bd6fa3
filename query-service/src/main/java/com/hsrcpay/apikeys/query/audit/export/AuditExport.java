package com.hsrcpay.apikeys.query.audit.export;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.hsrcpay.apikeys.database.DatabaseSettings;
import com.hsrcpay.apikeys.database.TransactionBounds;
import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.query.transparency.Checkpoints;
import com.hsrcpay.apikeys.query.transparency.TransparencyReads;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Streams an account's key events of a time window straight from {@code event_store.domain_event_entry} as NDJSON,
 * in global order, in constant memory: a server-side cursor (autocommit off, fetch size {@value #FETCH_SIZE}) is
 * read row by row and each row written to the output at once; nothing is collected.
 *
 * <p>The account is found through the expression index {@code domain_event_entry_account_idx} (event-store V3),
 * so an export reads that account's rows only. A row whose payload is not JSON (edited by hand) is not exported:
 * the auditor sees the gap in that key's sequence numbers. The account and mode are those in each event's payload ({@code accountId}, {@code mode}); the window is on the
 * payload's {@code occurredAt} (the instant the chain digest covers), {@code from} inclusive, {@code to} exclusive.
 * Each line carries the event's {@code leaf_index} in the transparency log (null while the log's writer is behind)
 * and its RFC 9162 inclusion proof against the checkpoint the first line (the header) carries, so an account's
 * auditor can check its events are in the signed log without the other accounts' leaves. A batch of
 * {@value #FETCH_SIZE} rows is held while its proofs are read, in one query on the cursor's own connection.
 *
 * <p>The connection is from the reads pool, whose request bounds (one second a statement) suit one query, not a
 * stream of a hundred fetches on a busy database: the export's transaction runs on the bounds it is given (the
 * background ones, ten seconds a fetch), so a slow fetch is waited for and a database that stops answering still
 * ends the stream.
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
    private final TransparencyReads transparency;
    private final DatabaseSettings.Bounds bounds;
    private final JsonFactory json = new JsonFactory();

    public AuditExport(DataSource dataSource, TransparencyReads transparency, DatabaseSettings.Bounds bounds) {
        this.dataSource = dataSource;
        this.transparency = transparency;
        this.bounds = bounds;
    }

    /** A row read and not yet written: rows are written a fetch at a time, after that fetch's proofs are read. */
    private record Row(long globalIndex, String keyId, long sequenceNumber, String type, String occurredAt,
                       byte[] payload, String chainDigest, Long leafIndex) {
    }

    /**
     * Writes the header line (the checkpoint the proofs lead to, null in a log's first moments) and one JSON object
     * per event to {@code out}; returns the number of events.
     */
    public long export(AccountId account, Mode mode, Instant from, Instant to, Optional<Checkpoints.Signed> checkpoint,
                       OutputStream out) throws SQLException, IOException {
        long lines = 0;
        try (Connection connection = dataSource.getConnection()) {
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // PostgreSQL only uses a cursor (honours the fetch size) in a transaction
            TransactionBounds.apply(connection, bounds);
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
                    header(line, account, mode, from, to, checkpoint);
                    List<Row> batch = new ArrayList<>(FETCH_SIZE);
                    while (rows.next()) {
                        batch.add(row(rows));
                        if (batch.size() == FETCH_SIZE) {
                            write(connection, batch, checkpoint, line);
                            lines += batch.size();
                            batch.clear();
                        }
                    }
                    write(connection, batch, checkpoint, line);
                    lines += batch.size();
                }
            } finally {
                connection.rollback(); // read only: nothing to keep
                connection.setAutoCommit(autoCommit);
            }
        }
        return lines;
    }

    private static void header(JsonGenerator line, AccountId account, Mode mode, Instant from, Instant to,
                               Optional<Checkpoints.Signed> checkpoint) throws IOException {
        line.writeStartObject();
        line.writeStringField("account_id", account.value());
        line.writeStringField("mode", mode.wireName());
        line.writeStringField("from", from.toString());
        line.writeStringField("to", to.toString());
        if (checkpoint.isPresent()) {
            line.writeStringField("checkpoint", checkpoint.get().note());
        } else {
            line.writeNullField("checkpoint");
        }
        line.writeEndObject();
        line.writeRaw('\n');
        line.flush();
    }

    private static Row row(ResultSet row) throws SQLException {
        byte[] meta = row.getBytes("meta_data");
        long leafIndex = row.getLong("leaf_index");
        Long leaf = row.wasNull() ? null : leafIndex;
        return new Row(row.getLong("global_index"), row.getString("aggregate_identifier"),
                row.getLong("sequence_number"), simpleName(row.getString("payload_type")),
                row.getString("occurred_at"), row.getBytes("payload"),
                meta == null ? null : EventChain.storedDigest(meta), leaf);
    }

    /** Writes a batch with the proofs of its logged events against the checkpoint, read in one query. */
    private void write(Connection connection, List<Row> batch, Optional<Checkpoints.Signed> checkpoint,
                       JsonGenerator line) throws SQLException, IOException {
        long size = checkpoint.map(Checkpoints.Signed::treeSize).orElse(0L);
        List<Long> covered = batch.stream().map(Row::leafIndex).filter(leaf -> leaf != null && leaf < size).toList();
        Map<Long, List<String>> proofs = transparency.inclusionProofs(connection, covered, size);
        for (Row row : batch) {
            write(row, proofs.get(row.leafIndex()), size, line);
            line.writeRaw('\n');
        }
        line.flush();
    }

    private static void write(Row row, List<String> proof, long treeSize, JsonGenerator line) throws IOException {
        line.writeStartObject();
        line.writeNumberField("global_index", row.globalIndex());
        line.writeStringField("key_id", row.keyId());
        line.writeNumberField("sequence_number", row.sequenceNumber());
        line.writeStringField("type", row.type());
        line.writeStringField("occurred_at", row.occurredAt());
        line.writeFieldName("payload");
        // the JSON exactly as stored (it parsed as jsonb in the query, so it is valid JSON)
        line.writeRawValue(new String(row.payload(), StandardCharsets.UTF_8));
        if (row.chainDigest() == null) {
            line.writeNullField("chain_digest");
        } else {
            line.writeStringField("chain_digest", row.chainDigest());
        }
        if (row.leafIndex() == null) {
            line.writeNullField("leaf_index"); // not in the transparency log yet: its writer is behind
        } else {
            line.writeNumberField("leaf_index", row.leafIndex());
        }
        if (proof == null) {
            line.writeNullField("inclusion_proof"); // not logged yet, or newer than the header's checkpoint
        } else {
            line.writeObjectFieldStart("inclusion_proof");
            line.writeNumberField("tree_size", treeSize);
            line.writeArrayFieldStart("hashes");
            for (String hash : proof) {
                line.writeString(hash);
            }
            line.writeEndArray();
            line.writeEndObject();
        }
        line.writeEndObject();
    }

    private static String simpleName(String typeName) {
        int cut = Math.max(typeName.lastIndexOf('.'), typeName.lastIndexOf('$'));
        return typeName.substring(cut + 1);
    }
}
