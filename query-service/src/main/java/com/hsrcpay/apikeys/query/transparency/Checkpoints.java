package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The log's signed checkpoints in {@code read_model.transparency_checkpoint}: {@link #signIfGrown()} signs one for
 * the current tree when it grew since the newest (or when there is none, the empty tree), serialized among instances
 * by an advisory lock and the primary key on the tree size.
 */
public class Checkpoints {

    /** "tcpt" in ASCII: the advisory lock of signing. */
    static final long SIGN_LOCK = 0x74637074L;

    /** A checkpoint as kept: its tree size and its signed note. */
    public record Signed(long treeSize, String note) {
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate transactions;
    private final TransparencyLog log;
    private final NoteSigner signer;
    private final Clock clock;

    public Checkpoints(JdbcTemplate jdbc, TransactionTemplate transactions, TransparencyLog log, NoteSigner signer,
                       Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.log = log;
        this.signer = signer;
        this.clock = clock;
    }

    /** The same checkpoints read through another pool (the request pool); only for reading. */
    Checkpoints readingFrom(JdbcTemplate other) {
        return new Checkpoints(other, transactions, log, signer, clock);
    }

    public String origin() {
        return signer.name();
    }

    /** The note verifier key of the signatures. */
    public String verifierKey() {
        return signer.verifier().toString();
    }

    /** Signs a checkpoint of the current tree if it is larger than the newest one; the new one, if any. */
    public Optional<Signed> signIfGrown() {
        return transactions.execute(status -> {
            jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", SIGN_LOCK);
            long size = log.size();
            Optional<Long> newest = jdbc.queryForList("SELECT max(tree_size) FROM read_model.transparency_checkpoint",
                    Long.class).stream().filter(java.util.Objects::nonNull).findFirst();
            if (newest.isPresent() && size <= newest.get()) {
                return Optional.<Signed>empty();
            }
            byte[] root = log.root(size);
            String note = signer.sign(new Checkpoint(origin(), size, root).text());
            jdbc.update("INSERT INTO read_model.transparency_checkpoint (tree_size, root_hash, note, signed_at) "
                    + "VALUES (?, ?, ?, ?)", size, root, note, Timestamp.from(clock.instant()));
            return Optional.of(new Signed(size, note));
        });
    }

    /** The newest checkpoint. */
    public Optional<Signed> latest() {
        return jdbc.query("SELECT tree_size, note FROM read_model.transparency_checkpoint ORDER BY tree_size DESC "
                + "LIMIT 1", (rs, n) -> new Signed(rs.getLong(1), rs.getString(2))).stream().findFirst();
    }

    /** The checkpoint signed at {@code treeSize}, if one was. */
    public Optional<Signed> at(long treeSize) {
        return jdbc.query("SELECT tree_size, note FROM read_model.transparency_checkpoint WHERE tree_size = ?",
                (rs, n) -> new Signed(rs.getLong(1), rs.getString(2)), treeSize).stream().findFirst();
    }

    /** Checkpoints Kafka has not acknowledged yet, oldest first. */
    public List<Signed> unpublished(int limit) {
        return jdbc.query("SELECT tree_size, note FROM read_model.transparency_checkpoint WHERE published_at IS NULL "
                + "ORDER BY tree_size LIMIT ?", (rs, n) -> new Signed(rs.getLong(1), rs.getString(2)), limit);
    }

    public void published(long treeSize) {
        jdbc.update("UPDATE read_model.transparency_checkpoint SET published_at = ? WHERE tree_size = ?",
                Timestamp.from(clock.instant()), treeSize);
    }
}
