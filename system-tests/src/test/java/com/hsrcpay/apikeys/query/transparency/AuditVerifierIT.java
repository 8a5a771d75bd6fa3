package com.hsrcpay.apikeys.query.transparency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hsrcpay.apikeys.query.SystemUnderTest;
import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.transparency.merkle.MerkleHashes;
import com.hsrcpay.apikeys.transparency.merkle.MerkleTree;
import com.hsrcpay.apikeys.transparency.merkle.PerfectSubtrees;
import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import com.hsrcpay.apikeys.transparency.note.NoteVerifier;
import com.hsrcpay.apikeys.transparency.note.SignedNote;
import com.hsrcpay.apikeys.transparency.verifier.AuditVerifierCommand;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auditor's offline check of one account's export against the real services, on a database of its own where
 * another account writes too (so the export is not the whole log: its lines' inclusion proofs carry it). An untouched
 * export is intact; each way an operator with write access to the database could rewrite history is caught: an edited
 * row, a key's chain rewritten consistently (by the proofs; and, when the operator also rebuilds and re-signs the
 * tree and serves its proofs, by the earlier checkpoint and the consistency proof), a key's newest events dropped
 * (by the earlier export). Tampered export lines, a wrong proof, a checkpoint signed by another key and an omitted
 * line are each refused.
 */
class AuditVerifierIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final String ACCOUNT = "acct_auditor";
    static final String NEIGHBOUR = "acct_neighbour";

    static SystemUnderTest system;
    static HttpApi writes;
    static HttpApi reads;
    static String token;
    static String neighbourToken;
    static JdbcTemplate jdbc;
    static String earlier;
    static String earlierExport;
    static String current;
    static String publicKey;
    static String first;
    static String second;

    @TempDir
    static Path dir;

    @BeforeAll
    static void aSharedLogWithHistory() {
        system = SystemUnderTest.onFreshDatabase();
        writes = SystemUnderTest.api(system.startCommandService());
        reads = SystemUnderTest.api(system.startQueryService());
        jdbc = system.jdbc();
        token = TestJwts.forAccount(ACCOUNT).sign();
        neighbourToken = TestJwts.forAccount(NEIGHBOUR).sign();
        // numbers, escapes and non-ASCII text in the payload: the verifier's JDK-only canonical JSON must match
        first = create(ACCOUNT, token, "first", Map.of("ratio", 2.50, "big", 12345678901234567L, "quote", "a \"b\" \\ / ü €"));
        String neighbours = create(NEIGHBOUR, neighbourToken, "theirs", Map.of());
        rename(first, token, "first-2");
        rename(neighbours, neighbourToken, "theirs-2");
        rename(first, token, "first-3");
        second = create(ACCOUNT, token, "second", Map.of());
        rename(second, token, "second-2");
        publicKey = reads.get("/v1/transparency/public-key").send().body();
        earlier = checkpointCoveringEverything();
        earlierExport = export(sizeOf(earlier));
        String third = create(ACCOUNT, token, "third", Map.of("n", -0.5));
        create(NEIGHBOUR, neighbourToken, "theirs too", Map.of());
        rename(third, token, "third-2");
        rename(neighbours, neighbourToken, "theirs-3");
        rename(second, token, "second-3");
        current = checkpointCoveringEverything();
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    static String create(String account, String bearer, String name, Map<String, Object> metadata) {
        HttpApi.Reply reply = writes.post("/v1/api-keys/?account_id=" + account).bearer(bearer)
                .json(Map.of("name", name, "permissions", READ, "metadata", metadata)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().at("/data/id").asText();
    }

    static void rename(String id, String bearer, String name) {
        assertThat(writes.patch("/v1/api-keys/" + id).bearer(bearer).json(Map.of("name", name)).send().status())
                .isEqualTo(200);
    }

    static long sizeOf(String note) {
        return Checkpoint.parse(SignedNote.open(note, NoteVerifier.parse(publicKey.trim()))).size();
    }

    static String checkpointCoveringEverything() {
        long stored = jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> sizeOf(reads.get("/v1/transparency/checkpoint").send().body()) == stored);
        return reads.get("/v1/transparency/checkpoint").send().body();
    }

    /** The account's export, its proofs against the checkpoint of {@code treeSize}. */
    static String export(long treeSize) {
        HttpApi.Reply reply = reads.get("/v1/audit/events?account_id=" + ACCOUNT
                + "&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&tree_size=" + treeSize).bearer(token).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    static String export() {
        return export(sizeOf(current));
    }

    static String consistency(String older, String newer) {
        HttpApi.Reply reply = reads.get("/v1/transparency/consistency?first=" + sizeOf(older) + "&second="
                + sizeOf(newer)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    record Audit(int exit, String report) {
    }

    /** Runs the verifier's command on the given files' contents: "--export" and the like, each followed by a text. */
    static Audit audit(String... optionsAndTexts) throws Exception {
        List<String> args = new ArrayList<>(List.of("--public-key",
                Files.writeString(dir.resolve("key.txt"), publicKey).toString()));
        for (int i = 0; i < optionsAndTexts.length; i += 2) {
            args.add(optionsAndTexts[i]);
            args.add(Files.writeString(dir.resolve("input-" + i), optionsAndTexts[i + 1]).toString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = AuditVerifierCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Audit(exit, out.toString(StandardCharsets.UTF_8));
    }

    static List<String> lines(String export) {
        return new ArrayList<>(List.of(export.split("\n")));
    }

    static String joined(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    /** Runs {@code change} on the stored events, then puts every row back as it was. */
    static void withStoreTampered(Runnable change, ThrowingCheck check) throws Exception {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT * FROM event_store.domain_event_entry");
        try {
            change.run();
            check.run();
        } finally {
            jdbc.update("DELETE FROM event_store.domain_event_entry");
            for (Map<String, Object> row : rows) {
                jdbc.update("INSERT INTO event_store.domain_event_entry (global_index, aggregate_identifier, "
                                + "sequence_number, type, event_identifier, meta_data, payload, payload_revision, "
                                + "payload_type, time_stamp) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        row.get("global_index"), row.get("aggregate_identifier"), row.get("sequence_number"),
                        row.get("type"), row.get("event_identifier"), row.get("meta_data"), row.get("payload"),
                        row.get("payload_revision"), row.get("payload_type"), row.get("time_stamp"));
            }
        }
    }

    interface ThrowingCheck {
        void run() throws Exception;
    }

    /** A key's chain rewritten consistently in the store, as someone who knows the chain's published definition would. */
    static void rewriteChainOf(String key) {
        jdbc.update("""
                UPDATE event_store.domain_event_entry SET payload = convert_to(jsonb_set(
                    convert_from(payload, 'UTF8')::jsonb, '{name}', '"rewritten"')::text, 'UTF8')
                WHERE aggregate_identifier = ? AND sequence_number = 0""", key);
        String previous = EventChain.GENESIS;
        for (Map<String, Object> row : jdbc.queryForList("SELECT sequence_number, payload_type, payload "
                + "FROM event_store.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number", key)) {
            previous = EventChain.digestOfStored(previous, key, (Long) row.get("sequence_number"),
                    (String) row.get("payload_type"), (byte[]) row.get("payload"));
            jdbc.update("UPDATE event_store.domain_event_entry SET meta_data = convert_to(jsonb_set(convert_from("
                    + "meta_data, 'UTF8')::jsonb, '{chainDigest}', to_jsonb(?::text))::text, 'UTF8') WHERE "
                    + "aggregate_identifier = ? AND sequence_number = ?", previous, key, row.get("sequence_number"));
        }
    }

    @Test
    void theUntouchedAccountExportIsIntactWithTheRunnableJar() throws Exception {
        String export = export();
        List<String> lines = lines(export);
        assertThat(lines).hasSize(1 + 8);
        assertThat(lines.subList(1, lines.size())).allSatisfy(line -> assertThat(line)
                .doesNotContain("\"leaf_index\":null").doesNotContain("\"inclusion_proof\":null"));
        assertThat(sizeOf(current)).as("the log holds the neighbour's events too").isEqualTo(8 + 4);
        Path jar = Path.of("..", "audit-verifier", "target", "audit-verifier.jar").toAbsolutePath().normalize();
        assertThat(jar).exists();
        Files.writeString(dir.resolve("export.ndjson"), export);
        Files.writeString(dir.resolve("earlier.ndjson"), earlierExport);
        Files.writeString(dir.resolve("current.txt"), current);
        Files.writeString(dir.resolve("earlier.txt"), earlier);
        Files.writeString(dir.resolve("proof.json"), consistency(earlier, current));
        Files.writeString(dir.resolve("key.txt"), publicKey);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "--export", dir.resolve("export.ndjson").toString(), "--checkpoint",
                dir.resolve("current.txt").toString(), "--public-key", dir.resolve("key.txt").toString(),
                "--previous-checkpoint", dir.resolve("earlier.txt").toString(), "--consistency",
                dir.resolve("proof.json").toString(), "--previous-export", dir.resolve("earlier.ndjson").toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("8 events of 3 keys (account " + ACCOUNT)
                .contains("each of the 8 events the checkpoint covers is in its tree")
                .contains("the log was only appended to since")
                .contains("every key's events in it are in this export, unchanged (2 keys)")
                .contains("RESULT: INTACT");
    }

    @Test
    void anEditedRowIsCaught() throws Exception {
        withStoreTampered(() -> jdbc.update("""
                UPDATE event_store.domain_event_entry SET payload = convert_to(jsonb_set(
                    convert_from(payload, 'UTF8')::jsonb, '{name}', '"renamed by hand"')::text, 'UTF8')
                WHERE aggregate_identifier = ? AND sequence_number = 1""", first), () -> {
            Audit audit = audit("--export", export());
            assertThat(audit.exit()).as(audit.report()).isEqualTo(1);
            assertThat(audit.report()).contains("sequence 1").contains("the event was changed");
        });
    }

    @Test
    void aKeysChainRewrittenConsistentlyIsCaughtByItsProofs() throws Exception {
        withStoreTampered(() -> rewriteChainOf(first), () -> {
            Audit audit = audit("--export", export());
            assertThat(audit.exit()).as(audit.report()).isEqualTo(1);
            assertThat(audit.report()).contains("chain digests: every event's digest matches")
                    .contains("(key " + first + ", sequence 0): its inclusion proof does not lead");
        });
    }

    @Test
    void aRewrittenAndReSignedLogIsCaughtByTheEarlierCheckpoint() throws Exception {
        withStoreTampered(() -> rewriteChainOf(first), () -> {
            // the operator also rebuilds the whole tree over the rewritten digests, re-signs it with the log's own
            // key, and serves that tree's proofs: the export's header, its lines' proofs and the consistency proof
            String export = export();
            List<byte[]> leaves = new ArrayList<>();
            Map<Long, String> rewritten = new java.util.HashMap<>();
            for (String line : lines(export).subList(1, 9)) {
                JsonNode event = JSON.readTree(line);
                rewritten.put(event.get("leaf_index").asLong(), event.get("chain_digest").asText());
            }
            List<Map<String, Object>> logged = jdbc.queryForList("SELECT leaf_index, chain_digest FROM "
                    + "read_model.transparency_leaf ORDER BY leaf_index");
            for (Map<String, Object> leaf : logged) {
                String replaced = rewritten.get(((Number) leaf.get("leaf_index")).longValue());
                leaves.add(sha256(0, replaced != null ? HexFormat.of().parseHex(replaced)
                        : (byte[]) leaf.get("chain_digest")));
            }
            int size = (int) sizeOf(current);
            MerkleTree rebuilt = treeOf(leaves);
            NoteSigner operator = NoteSigner.parse(SystemUnderTest.TRANSPARENCY_SIGNING_KEY);
            String resigned = operator.sign(new Checkpoint(operator.name(), size, rebuilt.root(size))
                    .text());
            List<String> forged = new ArrayList<>();
            ObjectNode header = (ObjectNode) JSON.readTree(lines(export).get(0));
            header.put("checkpoint", resigned);
            forged.add(JSON.writeValueAsString(header));
            for (String line : lines(export).subList(1, 9)) {
                ObjectNode event = (ObjectNode) JSON.readTree(line);
                ArrayNode hashes = ((ObjectNode) event.get("inclusion_proof")).putArray("hashes");
                rebuilt.inclusionProof(event.get("leaf_index").asLong(), size)
                        .forEach(h -> hashes.add(Base64.getEncoder().encodeToString(h)));
                forged.add(JSON.writeValueAsString(event));
            }
            Audit alone = audit("--export", joined(forged));
            assertThat(alone.exit()).as("without an earlier checkpoint the re-signed log passes: " + alone.report())
                    .isZero();
            int then = (int) sizeOf(earlier);
            ObjectNode proof = JSON.createObjectNode().put("first", then).put("second", size);
            ArrayNode hashes = proof.putArray("hashes");
            rebuilt.consistencyProof(then, size).forEach(h -> hashes.add(Base64.getEncoder()
                    .encodeToString(h)));
            Audit withHistory = audit("--export", joined(forged), "--previous-checkpoint", earlier, "--consistency",
                    JSON.writeValueAsString(proof));
            assertThat(withHistory.exit()).as(withHistory.report()).isEqualTo(1);
            assertThat(withHistory.report()).contains("does not show the previous checkpoint's tree")
                    .contains("rewritten since that checkpoint");
            // and the log's genuine consistency proof does not link the earlier checkpoint to the re-signed one either
            Audit genuine = audit("--export", joined(forged), "--previous-checkpoint", earlier, "--consistency",
                    consistency(earlier, current));
            assertThat(genuine.exit()).as(genuine.report()).isEqualTo(1);
        });
    }

    @Test
    void aKeysNewestEventsDroppedAreCaughtByTheEarlierExport() throws Exception {
        withStoreTampered(() -> jdbc.update("DELETE FROM event_store.domain_event_entry WHERE aggregate_identifier = ? "
                + "AND sequence_number >= 1", first), () -> {
            String export = export();
            assertThat(lines(export)).hasSize(1 + 6);
            // alone, a key's history cut short at its end looks complete: every remaining line is in the signed log
            Audit alone = audit("--export", export);
            assertThat(alone.exit()).as(alone.report()).isZero();
            Audit withEarlier = audit("--export", export, "--previous-export", earlierExport);
            assertThat(withEarlier.exit()).as(withEarlier.report()).isEqualTo(1);
            assertThat(withEarlier.report()).contains("key " + first + ": the previous export")
                    .contains("had its events up to sequence 2, this export lacks that event: events were omitted");
        });
    }

    @Test
    void tamperedLinesAWrongProofAForeignCheckpointAndAnOmittedLineAreEachRefused() throws Exception {
        List<String> export = lines(export());
        assertThat(audit("--export", joined(export)).exit()).isZero();

        List<String> edited = new ArrayList<>(export);
        edited.set(3, edited.get(3).replace("\"first-3\"", "\"first-X\""));
        assertThat(edited.get(3)).contains("first-X");
        Audit byChain = audit("--export", joined(edited));
        assertThat(byChain.exit()).as(byChain.report()).isEqualTo(1);
        assertThat(byChain.report()).contains("line 4 (key " + first + ", sequence 2)").contains("the event was changed");

        List<String> wrong = new ArrayList<>(export);
        ObjectNode line = (ObjectNode) JSON.readTree(wrong.get(2));
        ArrayNode hashes = (ArrayNode) line.at("/inclusion_proof/hashes");
        byte[] hash = Base64.getDecoder().decode(hashes.get(0).asText());
        hash[0] ^= 1;
        hashes.set(0, Base64.getEncoder().encodeToString(hash));
        wrong.set(2, JSON.writeValueAsString(line));
        Audit byProof = audit("--export", joined(wrong));
        assertThat(byProof.exit()).as(byProof.report()).isEqualTo(1);
        assertThat(byProof.report()).contains("line 3 (key " + first + ", sequence 1): its inclusion proof does not lead");

        NoteSigner impostor = NoteSigner.parse(NoteSigner.generate(Checkpoint.parse(SignedNote.open(current,
                NoteVerifier.parse(publicKey.trim()))).origin()));
        Checkpoint genuine = Checkpoint.parse(SignedNote.open(current, NoteVerifier.parse(publicKey.trim())));
        List<String> foreign = new ArrayList<>(export);
        ObjectNode header = (ObjectNode) JSON.readTree(foreign.get(0));
        header.put("checkpoint", impostor.sign(genuine.text()));
        foreign.set(0, JSON.writeValueAsString(header));
        Audit byKey = audit("--export", joined(foreign));
        assertThat(byKey.exit()).as(byKey.report()).isEqualTo(1);
        assertThat(byKey.report()).contains("the export's checkpoint (its lines' proofs lead to it): no signature of the "
                + "trusted key");

        List<String> omitted = new ArrayList<>(export);
        omitted.remove(2);
        Audit byGap = audit("--export", joined(omitted));
        assertThat(byGap.exit()).as(byGap.report()).isEqualTo(1);
        assertThat(byGap.report()).contains("(key " + first + ", sequence 2): expected sequence 1 of this key");
    }

    @Test
    void aConsistencyProofFileShowsTheEarlierCheckpointIsAPrefixOffline() throws Exception {
        Audit proven = audit("--checkpoint", current, "--previous-checkpoint", earlier, "--consistency",
                consistency(earlier, current));
        assertThat(proven.exit()).as(proven.report()).isZero();
        assertThat(proven.report()).contains("its " + sizeOf(earlier) + " leaves are the first of the checkpoint's "
                + sizeOf(current));
        HttpApi.Reply other = reads.get("/v1/transparency/consistency?first=" + (sizeOf(earlier) - 1) + "&second="
                + sizeOf(current)).send();
        Audit mismatched = audit("--checkpoint", current, "--previous-checkpoint", earlier, "--consistency", other.body());
        assertThat(mismatched.exit()).as(mismatched.report()).isEqualTo(1);
        assertThat(mismatched.report()).contains("not from the previous checkpoint's " + sizeOf(earlier));
        // the export proven against the earlier checkpoint, audited beside the newer one: told to export again
        Audit stale = audit("--export", earlierExport, "--checkpoint", current);
        assertThat(stale.exit()).as(stale.report()).isEqualTo(1);
        assertThat(stale.report()).contains("export again with tree_size=" + sizeOf(current));
    }

    static byte[] sha256(int prefix, byte[]... parts) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) prefix);
        for (byte[] part : parts) {
            sha.update(part);
        }
        return sha.digest();
    }

    /**
     * The tree an operator rebuilding a rewritten log would compute, from its leaf hashes, with the verifier's own
     * RFC 6962 code (tested against transparency-dev's vectors): a perfect subtree's root is its two halves' node.
     */
    private static MerkleTree treeOf(List<byte[]> leaves) {
        return new MerkleTree(new PerfectSubtrees() {
            @Override
            public byte[] hash(int level, long index) {
                return level == 0 ? leaves.get((int) index)
                        : MerkleHashes.node(hash(level - 1, 2 * index), hash(level - 1, 2 * index + 1));
            }
        });
    }

}
