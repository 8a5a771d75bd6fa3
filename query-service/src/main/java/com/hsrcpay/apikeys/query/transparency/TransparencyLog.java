package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.transparency.merkle.CompactRange;
import com.hsrcpay.apikeys.transparency.merkle.MerkleHashes;
import com.hsrcpay.apikeys.transparency.merkle.MerkleTree;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The Merkle tree of every stored event in {@code read_model.transparency_leaf} and {@code transparency_node}
 * (V5): appending (the writer's side) and roots and proofs (the readers' side).
 *
 * <p>{@link #append} runs in the caller's transaction and first takes a transaction-scoped advisory lock, so however
 * many query-service instances call it (a segment claim taken over after a timeout, a second instance in a test),
 * appends are serialized: the next index is read under the lock, events already in the log are skipped, and the
 * table's keys refuse an index twice or an event twice should anything else ever write.
 */
public class TransparencyLog {

    /** The advisory lock of appends; an arbitrary constant ("tlog" in ASCII) no other lock of the schema uses. */
    static final long APPEND_LOCK = 0x746c6f67L;

    private final JdbcTemplate jdbc;

    public TransparencyLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Appends the entries not yet in the log, in the given order, with the next dense leaf indices; returns how many
     * were appended. Must run in a transaction (the lock and the rows commit together).
     */
    public int append(List<LeafEntry> entries) {
        if (entries.isEmpty()) {
            return 0;
        }
        jdbc.queryForList("SELECT pg_advisory_xact_lock(?)", APPEND_LOCK);
        Set<String> present = new HashSet<>(jdbc.execute((Connection connection) -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT event_identifier FROM read_model.transparency_leaf WHERE event_identifier = ANY (?)")) {
                Array ids = connection.createArrayOf("varchar",
                        entries.stream().map(LeafEntry::eventIdentifier).toArray());
                statement.setArray(1, ids);
                List<String> found = new ArrayList<>();
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        found.add(rows.getString(1));
                    }
                }
                return found;
            }
        }));
        Map<String, LeafEntry> fresh = new LinkedHashMap<>();
        entries.forEach(entry -> {
            if (!present.contains(entry.eventIdentifier())) {
                fresh.putIfAbsent(entry.eventIdentifier(), entry);
            }
        });
        if (fresh.isEmpty()) {
            return 0;
        }
        long size = size();
        CompactRange range = CompactRange.of(size, this::node);
        List<Object[]> leaves = new ArrayList<>(fresh.size());
        List<Object[]> nodes = new ArrayList<>(fresh.size() * 2);
        long index = size;
        for (LeafEntry entry : fresh.values()) {
            leaves.add(new Object[] {index++, entry.eventIdentifier(), entry.keyId(), entry.sequenceNumber(),
                    entry.chainDigest()});
            range.append(MerkleHashes.leaf(entry.chainDigest()),
                    (level, nodeIndex, hash) -> nodes.add(new Object[] {level, nodeIndex, hash}));
        }
        jdbc.batchUpdate("INSERT INTO read_model.transparency_leaf (leaf_index, event_identifier, key_id, "
                + "sequence_number, chain_digest) VALUES (?, ?, ?, ?, ?)", leaves);
        jdbc.batchUpdate("INSERT INTO read_model.transparency_node (level, node_index, hash) VALUES (?, ?, ?)", nodes);
        return fresh.size();
    }

    /** The number of leaves: the next leaf index. */
    public long size() {
        Long next = jdbc.queryForObject("SELECT coalesce(max(leaf_index) + 1, 0) FROM read_model.transparency_leaf",
                Long.class);
        return next == null ? 0 : next;
    }

    /** The leaf index of a key's event, when it is in the log. */
    public Optional<Long> leafIndex(String keyId, long sequenceNumber) {
        return jdbc.queryForList("SELECT leaf_index FROM read_model.transparency_leaf WHERE key_id = ? "
                + "AND sequence_number = ?", Long.class, keyId, sequenceNumber).stream().findFirst();
    }

    public byte[] root(long size) {
        return prefetched(tree -> tree.root(size)).root(size);
    }

    public List<byte[]> inclusionProof(long leafIndex, long size) {
        return prefetched(tree -> tree.inclusionProof(leafIndex, size)).inclusionProof(leafIndex, size);
    }

    public List<byte[]> consistencyProof(long first, long second) {
        return prefetched(tree -> tree.consistencyProof(first, second)).consistencyProof(first, second);
    }

    /**
     * The inclusion proofs of {@code leaves} (each below {@code size}) in the tree of {@code size}, their nodes read in
     * one query on {@code connection} (the audit export's, whose cursor stays open meanwhile).
     */
    public Map<Long, List<byte[]>> inclusionProofs(Connection connection, Collection<Long> leaves, long size)
            throws SQLException {
        Map<Long, List<byte[]>> proofs = new HashMap<>();
        if (leaves.isEmpty()) {
            return proofs;
        }
        MerkleTree tree = prefetched(connection, t -> leaves.forEach(leaf -> t.inclusionProof(leaf, size)));
        leaves.forEach(leaf -> proofs.put(leaf, tree.inclusionProof(leaf, size)));
        return proofs;
    }

    private byte[] node(int level, long index) {
        List<byte[]> hash = jdbc.queryForList("SELECT hash FROM read_model.transparency_node WHERE level = ? "
                + "AND node_index = ?", byte[].class, level, index);
        if (hash.isEmpty()) {
            throw new IllegalStateException("the transparency log has no node " + level + "/" + index);
        }
        return hash.get(0);
    }

    /**
     * A tree over the nodes {@code computation} reads, fetched in one query: the computation runs once against
     * placeholders to learn which nodes it needs (which depends on sizes and indices only, never on hash values).
     */
    private MerkleTree prefetched(java.util.function.Consumer<MerkleTree> computation) {
        return jdbc.execute((Connection connection) -> prefetched(connection, computation));
    }

    private static MerkleTree prefetched(Connection connection, java.util.function.Consumer<MerkleTree> computation)
            throws SQLException {
        List<long[]> wanted = new ArrayList<>();
        Set<String> seen = new HashSet<>(); // many proofs of one export batch share their upper nodes
        computation.accept(new MerkleTree((level, index) -> {
            if (seen.add(level + "/" + index)) {
                wanted.add(new long[] {level, index});
            }
            return new byte[MerkleHashes.SIZE];
        }));
        Map<String, byte[]> nodes = new HashMap<>();
        if (!wanted.isEmpty()) {
            Short[] levels = wanted.stream().map(w -> (short) w[0]).toArray(Short[]::new);
            Long[] indices = wanted.stream().map(w -> w[1]).toArray(Long[]::new);
            try (PreparedStatement statement = connection.prepareStatement("""
                    SELECT n.level, n.node_index, n.hash FROM read_model.transparency_node n
                    JOIN unnest(?::smallint[], ?::bigint[]) AS w(level, node_index)
                      ON n.level = w.level AND n.node_index = w.node_index""")) {
                statement.setArray(1, connection.createArrayOf("smallint", levels));
                statement.setArray(2, connection.createArrayOf("bigint", indices));
                try (var rows = statement.executeQuery()) {
                    while (rows.next()) {
                        nodes.put(rows.getInt(1) + "/" + rows.getLong(2), rows.getBytes(3));
                    }
                }
            }
        }
        return new MerkleTree((level, index) -> {
            byte[] hash = nodes.get(level + "/" + index);
            if (hash == null) {
                throw new IllegalStateException("the transparency log has no node " + level + "/" + index);
            }
            return hash;
        });
    }
}
