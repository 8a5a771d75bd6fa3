package com.hsrcpay.apikeys.query.transparency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.query.SystemUnderTest;
import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
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
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The auditor's offline check against the real services on a database of its own (so the one account's export is the
 * whole log): an untouched export is intact, and each way an operator with write access to the database could rewrite
 * history is caught given a checkpoint saved earlier: an edited row, a key's chain rewritten consistently (and the tree
 * re-signed with the log's own key), a key's newest events dropped (and the tree re-signed).
 */
class AuditVerifierIT {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final String ACCOUNT = "acct_auditor";

    static SystemUnderTest system;
    static HttpApi writes;
    static HttpApi reads;
    static String token;
    static JdbcTemplate jdbc;
    static String earlier;
    static String current;
    static String publicKey;
    static String first;
    static String second;

    @TempDir
    static Path dir;

    @BeforeAll
    static void aLogWithHistory() {
        system = SystemUnderTest.onFreshDatabase();
        writes = SystemUnderTest.api(system.startCommandService());
        reads = SystemUnderTest.api(system.startQueryService());
        jdbc = system.jdbc();
        token = TestJwts.forAccount(ACCOUNT).sign();
        // numbers, escapes and non-ASCII text in the payload: the verifier's JDK-only canonical JSON must match
        first = create("first", Map.of("ratio", 2.50, "big", 12345678901234567L, "quote", "a \"b\" \\ / ü €"));
        rename(first, "first-2");
        rename(first, "first-3");
        second = create("second", Map.of());
        rename(second, "second-2");
        publicKey = reads.get("/v1/transparency/public-key").send().body();
        earlier = checkpointCoveringEverything();
        String third = create("third", Map.of("n", -0.5));
        rename(third, "third-2");
        rename(second, "second-3");
        current = checkpointCoveringEverything();
    }

    @AfterAll
    static void stop() {
        system.close();
    }

    static String create(String name, Map<String, Object> metadata) {
        HttpApi.Reply reply = writes.post("/v1/api-keys/?account_id=" + ACCOUNT).bearer(token)
                .json(Map.of("name", name, "permissions", READ, "metadata", metadata)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().at("/data/id").asText();
    }

    static void rename(String id, String name) {
        assertThat(writes.patch("/v1/api-keys/" + id).bearer(token).json(Map.of("name", name)).send().status())
                .isEqualTo(200);
    }

    static String checkpointCoveringEverything() {
        long stored = jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class);
        NoteVerifier verifier = NoteVerifier.parse(publicKey.trim());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> Checkpoint.parse(
                SignedNote.open(reads.get("/v1/transparency/checkpoint").send().body(), verifier)).size() == stored);
        return reads.get("/v1/transparency/checkpoint").send().body();
    }

    static String export() {
        HttpApi.Reply reply = reads.get("/v1/audit/events?account_id=" + ACCOUNT
                + "&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z").bearer(token).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.body();
    }

    record Audit(int exit, String report) {
    }

    static Audit audit(String export, String checkpoint, String previous) throws Exception {
        List<String> args = new ArrayList<>(List.of(
                "--export", Files.writeString(dir.resolve("export.ndjson"), export).toString(),
                "--checkpoint", Files.writeString(dir.resolve("checkpoint.txt"), checkpoint).toString(),
                "--public-key", Files.writeString(dir.resolve("key.txt"), publicKey).toString()));
        if (previous != null) {
            args.addAll(List.of("--previous-checkpoint", Files.writeString(dir.resolve("old.txt"), previous).toString()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = AuditVerifierCommand.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        return new Audit(exit, out.toString(StandardCharsets.UTF_8));
    }

    /** What an operator holding the signing key can sign: a checkpoint over the leaves of a (rewritten) export. */
    static String resign(String export) throws Exception {
        List<JsonNode> lines = new ArrayList<>();
        for (String line : export.split("\n")) {
            lines.add(JSON.readTree(line));
        }
        lines.sort(java.util.Comparator.comparingLong(l -> l.get("leaf_index").asLong()));
        List<byte[]> leaves = new ArrayList<>();
        for (JsonNode line : lines) {
            leaves.add(HexFormat.of().parseHex(line.get("chain_digest").asText()));
        }
        NoteSigner operator = NoteSigner.parse(SystemUnderTest.TRANSPARENCY_SIGNING_KEY);
        return operator.sign(new Checkpoint(operator.name(), leaves.size(), root(leaves)).text());
    }

    static byte[] root(List<byte[]> data) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (data.size() == 1) {
            sha.update((byte) 0);
            return sha.digest(data.get(0));
        }
        int k = Integer.highestOneBit(data.size() - 1);
        byte[] left = root(data.subList(0, k));
        byte[] right = root(data.subList(k, data.size()));
        sha.update((byte) 1);
        sha.update(left);
        sha.update(right);
        return sha.digest();
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

    @Test
    void theUntouchedExportIsIntactWithTheRunnableJar() throws Exception {
        String export = export();
        assertThat(export.split("\n")).hasSize(8).allSatisfy(line -> assertThat(line).doesNotContain("\"leaf_index\":null"));
        Path jar = Path.of("..", "audit-verifier", "target", "audit-verifier.jar").toAbsolutePath().normalize();
        assertThat(jar).exists();
        Files.writeString(dir.resolve("export.ndjson"), export);
        Files.writeString(dir.resolve("current.txt"), current);
        Files.writeString(dir.resolve("earlier.txt"), earlier);
        Files.writeString(dir.resolve("key.txt"), publicKey);
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                jar.toString(), "--export", dir.resolve("export.ndjson").toString(), "--checkpoint",
                dir.resolve("current.txt").toString(), "--public-key", dir.resolve("key.txt").toString(),
                "--previous-checkpoint", dir.resolve("earlier.txt").toString())
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        assertThat(output).contains("8 events of 3 keys").contains("RESULT: INTACT").contains("only appended to");
    }

    @Test
    void anEditedRowIsCaught() throws Exception {
        withStoreTampered(() -> jdbc.update("""
                UPDATE event_store.domain_event_entry SET payload = convert_to(jsonb_set(
                    convert_from(payload, 'UTF8')::jsonb, '{name}', '"renamed by hand"')::text, 'UTF8')
                WHERE aggregate_identifier = ? AND sequence_number = 1""", first), () -> {
            Audit audit = audit(export(), current, earlier);
            assertThat(audit.exit()).as(audit.report()).isEqualTo(1);
            assertThat(audit.report()).contains("sequence 1").contains("stored row was changed");
        });
    }

    @Test
    void aKeysChainRewrittenConsistentlyIsCaughtEvenWhenTheTreeIsReSigned() throws Exception {
        withStoreTampered(() -> {
            jdbc.update("""
                    UPDATE event_store.domain_event_entry SET payload = convert_to(jsonb_set(
                        convert_from(payload, 'UTF8')::jsonb, '{name}', '"rewritten"')::text, 'UTF8')
                    WHERE aggregate_identifier = ? AND sequence_number = 0""", first);
            // every digest of the key recomputed, as someone who knows the chain's published definition would
            String previous = EventChain.GENESIS;
            for (Map<String, Object> row : jdbc.queryForList("SELECT sequence_number, payload_type, payload "
                    + "FROM event_store.domain_event_entry WHERE aggregate_identifier = ? ORDER BY sequence_number", first)) {
                previous = EventChain.digestOfStored(previous, first, (Long) row.get("sequence_number"),
                        (String) row.get("payload_type"), (byte[]) row.get("payload"));
                jdbc.update("UPDATE event_store.domain_event_entry SET meta_data = convert_to(jsonb_set(convert_from("
                        + "meta_data, 'UTF8')::jsonb, '{chainDigest}', to_jsonb(?::text))::text, 'UTF8') WHERE "
                        + "aggregate_identifier = ? AND sequence_number = ?", previous, first, row.get("sequence_number"));
            }
        }, () -> {
            String export = export();
            Audit againstSigned = audit(export, current, null);
            assertThat(againstSigned.exit()).as(againstSigned.report()).isEqualTo(1);
            assertThat(againstSigned.report()).contains("chain digests: every event's digest matches")
                    .contains("do not give the checkpoint's root");
            String resigned = resign(export);
            assertThat(audit(export, resigned, null).exit()).as("without an earlier checkpoint a re-signed tree passes")
                    .isZero();
            Audit withHistory = audit(export, resigned, earlier);
            assertThat(withHistory.exit()).as(withHistory.report()).isEqualTo(1);
            assertThat(withHistory.report()).contains("rewritten since that checkpoint");
        });
    }

    @Test
    void aKeysNewestEventsDroppedAreCaughtEvenWhenTheTreeIsReSigned() throws Exception {
        withStoreTampered(() -> jdbc.update("DELETE FROM event_store.domain_event_entry WHERE aggregate_identifier = ? "
                + "AND sequence_number >= 1", first), () -> {
            String export = export();
            assertThat(export.split("\n")).hasSize(6);
            Audit audit = audit(export, current, earlier);
            assertThat(audit.exit()).as(audit.report()).isEqualTo(1);
            assertThat(audit.report()).contains("lacks leaf");
            // the operator renumbers the remaining leaves densely and signs that smaller tree
            List<JsonNode> lines = new ArrayList<>();
            for (String line : export.split("\n")) {
                lines.add(JSON.readTree(line));
            }
            lines.sort(java.util.Comparator.comparingLong(l -> l.get("leaf_index").asLong()));
            StringBuilder renumbered = new StringBuilder();
            for (int i = 0; i < lines.size(); i++) {
                ((com.fasterxml.jackson.databind.node.ObjectNode) lines.get(i)).put("leaf_index", i);
                renumbered.append(JSON.writeValueAsString(lines.get(i))).append('\n');
            }
            String resigned = resign(renumbered.toString());
            Audit withHistory = audit(renumbered.toString(), resigned, earlier);
            assertThat(withHistory.exit()).as(withHistory.report()).isEqualTo(1);
            assertThat(withHistory.report()).contains("rewritten since that checkpoint");
            Audit withTheNewest = audit(renumbered.toString(), resigned, current);
            assertThat(withTheNewest.exit()).isEqualTo(1);
            assertThat(withTheNewest.report()).contains("the log shrank");
        });
    }
}
