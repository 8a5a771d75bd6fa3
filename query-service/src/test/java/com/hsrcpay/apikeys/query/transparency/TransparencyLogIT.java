package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.testsupport.TestPostgres;
import com.hsrcpay.apikeys.transparency.merkle.MerkleProofs;
import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import com.hsrcpay.apikeys.transparency.note.NoteVerifier;
import com.hsrcpay.apikeys.transparency.note.SignedNote;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import javax.sql.DataSource;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The log's tables on real PostgreSQL: dense, unique leaves under concurrent writers; roots and proofs; signing. */
class TransparencyLogIT {

    static DataSource database() {
        DataSource dataSource = TestPostgres.newDatabase().dataSource();
        Flyway.configure().dataSource(dataSource).schemas("read_model").defaultSchema("read_model")
                .locations("classpath:db/read-model").load().migrate();
        return dataSource;
    }

    static List<LeafEntry> events(int n, Random random) {
        List<LeafEntry> events = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] digest = new byte[32];
            random.nextBytes(digest);
            events.add(new LeafEntry(UUID.randomUUID().toString(), UUID.randomUUID().toString(), 0, digest));
        }
        return events;
    }

    /** RFC 6962 MTH written out in the test, independent of the production tree. */
    static byte[] referenceRoot(List<byte[]> leafHashes) throws Exception {
        if (leafHashes.size() == 1) {
            return leafHashes.get(0);
        }
        int k = Integer.highestOneBit(leafHashes.size() - 1);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 1);
        sha.update(referenceRoot(leafHashes.subList(0, k)));
        sha.update(referenceRoot(leafHashes.subList(k, leafHashes.size())));
        return sha.digest();
    }

    static byte[] leafHash(byte[] data) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) 0);
        return sha.digest(data);
    }

    @Test
    void concurrentWritersWithOverlappingBatchesNeverGiveAnEventTwoIndicesOrAnIndexTwoEvents() throws Exception {
        DataSource dataSource = database();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        List<LeafEntry> events = events(400, new Random(16));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                // each "instance" has its own log object and transactions, and delivers every event, in its own batches
                TransparencyLog log = new TransparencyLog(new JdbcTemplate(dataSource));
                TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
                Random random = new Random(w);
                writers.add(pool.submit((Callable<Integer>) () -> {
                    int appended = 0;
                    for (int from = 0; from < events.size(); ) {
                        int to = Math.min(events.size(), from + 1 + random.nextInt(25));
                        List<LeafEntry> batch = events.subList(from, to);
                        appended += transactions.execute(status -> log.append(batch));
                        from = to;
                    }
                    return appended;
                }));
            }
            int total = 0;
            for (Future<Integer> writer : writers) {
                total += writer.get();
            }
            assertThat(total).isEqualTo(events.size());
        } finally {
            pool.shutdownNow();
        }
        assertThat(jdbc.queryForList("SELECT leaf_index FROM read_model.transparency_leaf ORDER BY leaf_index", Long.class))
                .containsExactlyElementsOf(java.util.stream.LongStream.range(0, events.size()).boxed().toList());
        assertThat(jdbc.queryForObject("SELECT count(DISTINCT event_identifier) FROM read_model.transparency_leaf",
                Long.class)).isEqualTo(events.size());
        // the batches of one writer keep their order, so the log's order is the delivery order
        assertThat(jdbc.queryForList("SELECT event_identifier FROM read_model.transparency_leaf ORDER BY leaf_index",
                String.class)).containsExactlyElementsOf(events.stream().map(LeafEntry::eventIdentifier).toList());
    }

    @Test
    void rootsAndProofsFromTheStoredNodesMatchTheLeaves() throws Exception {
        DataSource dataSource = database();
        TransparencyLog log = new TransparencyLog(new JdbcTemplate(dataSource));
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        List<LeafEntry> events = events(77, new Random(7));
        for (int from = 0; from < events.size(); from += 10) {
            List<LeafEntry> batch = events.subList(from, Math.min(events.size(), from + 10));
            transactions.execute(status -> log.append(batch));
        }
        List<byte[]> leafHashes = new ArrayList<>();
        for (LeafEntry event : events) {
            leafHashes.add(leafHash(event.chainDigest()));
        }
        assertThat(log.size()).isEqualTo(77);
        for (int size : new int[] {1, 2, 3, 31, 32, 33, 64, 77}) {
            byte[] root = referenceRoot(leafHashes.subList(0, size));
            assertThat(log.root(size)).as("root of %d", size).isEqualTo(root);
            for (int leaf : new int[] {0, size / 2, size - 1}) {
                assertThat(MerkleProofs.verifyInclusion(leaf, size, leafHashes.get(leaf), log.inclusionProof(leaf, size),
                        root)).isTrue();
            }
            assertThat(MerkleProofs.verifyConsistency(size, 77, root, log.root(77), log.consistencyProof(size, 77)))
                    .isTrue();
        }
        assertThat(log.leafIndex(events.get(40).keyId(), 0)).contains(40L);
        // append-only: the tables refuse changes
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        assertThatThrownBy(() -> jdbc.update("UPDATE read_model.transparency_leaf SET sequence_number = 9"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM read_model.transparency_node")).hasMessageContaining("append-only");
        assertThatThrownBy(() -> jdbc.update("TRUNCATE read_model.transparency_leaf")).hasMessageContaining("append-only");
    }

    @Test
    void aCheckpointIsSignedWhenTheTreeGrewAndOnlyThen() {
        DataSource dataSource = database();
        JdbcTemplate jdbc = new JdbcTemplate(dataSource);
        TransparencyLog log = new TransparencyLog(jdbc);
        TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        NoteSigner signer = NoteSigner.parse(NoteSigner.generate("test.example/log"));
        Checkpoints checkpoints = new Checkpoints(jdbc, transactions, log, signer, Clock.systemUTC());
        NoteVerifier verifier = NoteVerifier.parse(checkpoints.verifierKey());

        Checkpoints.Signed empty = checkpoints.signIfGrown().orElseThrow();
        assertThat(Checkpoint.parse(SignedNote.open(empty.note(), verifier)).size()).isZero();
        assertThat(checkpoints.signIfGrown()).isEmpty();

        List<LeafEntry> events = events(5, new Random(5));
        transactions.execute(status -> log.append(events));
        Checkpoints.Signed five = checkpoints.signIfGrown().orElseThrow();
        Checkpoint checkpoint = Checkpoint.parse(SignedNote.open(five.note(), verifier));
        assertThat(checkpoint.origin()).isEqualTo("test.example/log");
        assertThat(checkpoint.size()).isEqualTo(5);
        assertThat(checkpoint.rootHash()).isEqualTo(log.root(5));
        assertThat(checkpoints.signIfGrown()).isEmpty();
        assertThat(checkpoints.latest()).contains(five);
        assertThat(checkpoints.unpublished(10)).containsExactly(empty, five);
        checkpoints.published(0);
        assertThat(checkpoints.unpublished(10)).containsExactly(five);
    }
}
