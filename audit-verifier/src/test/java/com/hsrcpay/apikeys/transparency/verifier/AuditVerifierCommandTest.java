package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.chain.Json;
import com.hsrcpay.apikeys.transparency.merkle.ReferenceMerkle;
import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command on an export made of the pinned stored events (the history of one key), with the tree root computed here
 * (RFC 6962 written out, not the production tree) and signed.
 */
class AuditVerifierCommandTest {

    @TempDir
    Path dir;
    NoteSigner signer;
    List<String> lines;
    List<byte[]> digests;

    static byte[] sha(int prefix, byte[]... parts) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) prefix);
        for (byte[] part : parts) {
            sha.update(part);
        }
        return sha.digest();
    }

    static byte[] root(List<byte[]> leafData) throws Exception {
        if (leafData.size() == 1) {
            return sha(0, leafData.get(0));
        }
        int k = Integer.highestOneBit(leafData.size() - 1);
        return sha(1, root(leafData.subList(0, k)), root(leafData.subList(k, leafData.size())));
    }

    @BeforeEach
    void export() throws Exception {
        signer = NoteSigner.parse(NoteSigner.generate("test.example/log"));
        lines = new ArrayList<>();
        digests = new ArrayList<>();
        Path vectors = Path.of(getClass().getResource("/vectors/stored-events").toURI());
        List<Path> events;
        try (Stream<Path> files = Files.list(vectors)) {
            events = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        // one key whose events are the pinned stored events in turn, chained (ChainDigestsTest pins the digest itself)
        String previous = ChainDigests.GENESIS;
        int leaf = 0;
        for (Path file : events) {
            String json = Files.readString(file).replaceAll("\\s*\\n\\s*", " ");
            String keyId = "5b0c6f1e-0d7a-4a43-9f57-0a8f7e0f2a11";
            String type = file.getFileName().toString().replaceAll("-rev\\d+\\.json$", "");
            @SuppressWarnings("unchecked")
            String digest = ChainDigests.digest(previous, keyId, leaf, type, (Map<String, Object>) Json.parse(json));
            previous = digest;
            lines.add("{\"global_index\":" + (leaf + 1) + ",\"key_id\":\"" + keyId + "\",\"sequence_number\":" + leaf
                    + ",\"type\":\"" + type + "\",\"occurred_at\":\"x\",\"payload\":" + json + ",\"chain_digest\":\""
                    + digest + "\",\"leaf_index\":" + leaf++ + "}");
            digests.add(HexFormat.of().parseHex(digest));
        }
    }

    Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    String checkpoint(int size, List<byte[]> leafData) throws Exception {
        return signer.sign(new Checkpoint("test.example/log", size, root(leafData.subList(0, size))).text());
    }

    record Run(int exit, String out) {
    }

    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = AuditVerifierCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8));
    }

    Run audit(List<String> export, String checkpoint, String previous) throws Exception {
        List<String> args = new ArrayList<>(List.of("--export", write("export.ndjson", String.join("\n", export) + "\n")
                .toString(), "--checkpoint", write("checkpoint.txt", checkpoint).toString(),
                "--public-key", write("key.txt", signer.verifier() + "\n").toString()));
        if (previous != null) {
            args.addAll(List.of("--previous-checkpoint", write("old.txt", previous).toString()));
        }
        return run(args.toArray(String[]::new));
    }

    @Test
    void anUntouchedExportIsIntactAgainstItsCheckpointAndAnEarlierOne() throws Exception {
        Run run = audit(lines, checkpoint(lines.size(), digests), checkpoint(4, digests));
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("RESULT: INTACT").contains("only appended to")
                .contains("give the checkpoint's root");
    }

    @Test
    void anEditedPayloadBreaksItsChain() throws Exception {
        List<String> edited = new ArrayList<>(lines);
        edited.set(3, edited.get(3).replace("\"req_", "\"forged_"));
        Run run = audit(edited, checkpoint(lines.size(), digests), null);
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("line 4").contains("the event was changed").contains("NOT INTACT");
    }

    @Test
    void aDroppedEventLeavesTheTreeWithoutALeaf() throws Exception {
        List<String> dropped = new ArrayList<>(lines.subList(0, lines.size() - 1));
        Run run = audit(dropped, checkpoint(lines.size(), digests), null);
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("lacks leaf " + (lines.size() - 1));
    }

    @Test
    void aReSignedRewrittenTreeIsCaughtOnlyWithTheEarlierCheckpoint() throws Exception {
        // the operator swaps two events' places in the log and signs the new tree with the log's own key
        List<String> swapped = new ArrayList<>(lines);
        swapped.set(1, lines.get(1).replace("\"leaf_index\":1}", "\"leaf_index\":2}"));
        swapped.set(2, lines.get(2).replace("\"leaf_index\":2}", "\"leaf_index\":1}"));
        List<byte[]> rewritten = new ArrayList<>(digests);
        rewritten.set(1, digests.get(2));
        rewritten.set(2, digests.get(1));
        String earlier = checkpoint(4, digests);
        String resigned = checkpoint(lines.size(), rewritten);
        assertThat(audit(swapped, resigned, null).exit()).as("without history, a re-signed tree looks fine").isZero();
        Run run = audit(swapped, resigned, earlier);
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("rewritten since that checkpoint");
    }

    @Test
    void aForgedSignatureOrAShrunkenLogIsNotIntact() throws Exception {
        String checkpoint = checkpoint(lines.size(), digests);
        Run forged = audit(lines, checkpoint.replace("test.example/log\n" + lines.size(), "test.example/log\n"
                + (lines.size() - 1)), null);
        assertThat(forged.exit()).isEqualTo(1);
        assertThat(forged.out()).contains("does not verify");
        Run shrunk = audit(lines, checkpoint(4, digests), checkpoint);
        assertThat(shrunk.exit()).isEqualTo(1);
        assertThat(shrunk.out()).contains("the log shrank");
    }

    // ---- an account's export of a shared log: proofs against the header's checkpoint (ReferenceMerkle computes them)

    /** The log: the key's events at even leaves, another account's events (digests only) at odd ones. */
    List<byte[]> sharedLog() throws Exception {
        List<byte[]> leafHashes = new ArrayList<>();
        for (int i = 0; i < digests.size(); i++) {
            leafHashes.add(ReferenceMerkle.leafHash(digests.get(i)));
            leafHashes.add(ReferenceMerkle.leafHash(sha(7, new byte[] {(byte) i})));
        }
        return leafHashes;
    }

    String sharedCheckpoint(int size, NoteSigner by) {
        return by.sign(new Checkpoint("test.example/log", size, ReferenceMerkle.mth(sharedLog0().subList(0, size)))
                .text());
    }

    List<byte[]> sharedLog0() {
        try {
            return sharedLog();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static String json(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    /** The account's export as the service writes it: a header with the checkpoint, then each line with its proof. */
    List<String> accountExport(int treeSize, String checkpoint) {
        List<byte[]> log = sharedLog0().subList(0, treeSize);
        List<String> export = new ArrayList<>();
        export.add("{\"account_id\":\"acct_a\",\"mode\":\"live\",\"from\":\"2000-01-01T00:00:00Z\","
                + "\"to\":\"2100-01-01T00:00:00Z\",\"checkpoint\":" + json(checkpoint) + "}");
        for (int i = 0; i < lines.size(); i++) {
            int leaf = 2 * i;
            String proof = "null";
            if (leaf < treeSize) {
                proof = "{\"tree_size\":" + treeSize + ",\"hashes\":[" + String.join(",", ReferenceMerkle.path(leaf, log)
                        .stream().map(h -> "\"" + Base64.getEncoder().encodeToString(h) + "\"").toList()) + "]}";
            }
            export.add(lines.get(i).replace("\"leaf_index\":" + i + "}", "\"leaf_index\":" + leaf
                    + ",\"inclusion_proof\":" + proof + "}"));
        }
        return export;
    }

    Run auditAccount(List<String> export, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of("--export", write("account.ndjson", String.join("\n", export) + "\n")
                .toString(), "--public-key", write("key.txt", signer.verifier() + "\n").toString()));
        args.addAll(List.of(more));
        return run(args.toArray(String[]::new));
    }

    String consistencyAnswer(int first, int second) {
        return "{\"message\":\"success\",\"success\":true,\"data\":{\"first\":" + first + ",\"second\":" + second
                + ",\"hashes\":[" + String.join(",", ReferenceMerkle.proof(first, sharedLog0().subList(0, second))
                .stream().map(h -> "\"" + Base64.getEncoder().encodeToString(h) + "\"").toList()) + "]}}";
    }

    @Test
    void anAccountsExportIsIntactWithoutTheOtherAccountsLeaves() throws Exception {
        int size = 2 * lines.size();
        Run run = auditAccount(accountExport(size, sharedCheckpoint(size, signer)));
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("the export's checkpoint: test.example/log, tree size " + size)
                .contains("each of the " + lines.size() + " events the checkpoint covers is in its tree")
                .contains("RESULT: INTACT");
    }

    @Test
    void linesNewerThanTheExportsCheckpointAreReportedNotCovered() throws Exception {
        Run run = auditAccount(accountExport(9, sharedCheckpoint(9, signer)));
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("each of the 5 events").contains((lines.size() - 5) + " events are newer than "
                + "the checkpoint");
    }

    @Test
    void aTamperedLineIsRefusedByItsChainOrItsProof() throws Exception {
        int size = 2 * lines.size();
        List<String> export = accountExport(size, sharedCheckpoint(size, signer));
        List<String> edited = new ArrayList<>(export);
        edited.set(4, edited.get(4).replace("\"req_", "\"forged_"));
        Run byChain = auditAccount(edited);
        assertThat(byChain.exit()).as(byChain.out()).isEqualTo(1);
        assertThat(byChain.out()).contains("line 5 (key ").contains("the event was changed");
        // the whole key rewritten consistently in the export (every digest recomputed): the chain holds, the proofs not
        List<String> rewritten = new ArrayList<>(export);
        String previous = ChainDigests.GENESIS;
        for (int i = 1; i < export.size(); i++) {
            String line = export.get(i).replace("\"req_", "\"forged_");
            @SuppressWarnings("unchecked")
            Map<String, Object> event = (Map<String, Object>) Json.parse(line);
            String old = (String) event.get("chain_digest");
            @SuppressWarnings("unchecked")
            String digest = ChainDigests.digest(previous, (String) event.get("key_id"), i - 1, (String) event.get("type"),
                    (Map<String, Object>) event.get("payload"));
            rewritten.set(i, line.replace(old, digest));
            previous = digest;
        }
        Run byProof = auditAccount(rewritten);
        assertThat(byProof.exit()).as(byProof.out()).isEqualTo(1);
        assertThat(byProof.out()).contains("chain digests: every event's digest matches")
                .contains("its inclusion proof does not lead from its chain digest at leaf 0 to the checkpoint's root");
    }

    @Test
    void aWrongProofOrAMovedLeafIsRefused() throws Exception {
        int size = 2 * lines.size();
        List<String> export = accountExport(size, sharedCheckpoint(size, signer));
        List<String> wrong = new ArrayList<>(export);
        String line = wrong.get(3);
        int at = line.indexOf("\"hashes\":[\"") + 11;
        char c = line.charAt(at);
        wrong.set(3, line.substring(0, at) + (c == 'A' ? 'B' : 'A') + line.substring(at + 1));
        Run flipped = auditAccount(wrong);
        assertThat(flipped.exit()).as(flipped.out()).isEqualTo(1);
        assertThat(flipped.out()).contains("line 4 (key ").contains("inclusion proof does not lead");
        List<String> moved = new ArrayList<>(export);
        moved.set(3, moved.get(3).replace("\"leaf_index\":4,", "\"leaf_index\":5,"));
        Run elsewhere = auditAccount(moved);
        assertThat(elsewhere.exit()).as(elsewhere.out()).isEqualTo(1);
        assertThat(elsewhere.out()).contains("inclusion proof does not lead from its chain digest at leaf 5");
        List<String> stripped = new ArrayList<>(export);
        stripped.set(3, stripped.get(3).replaceAll("\"inclusion_proof\":\\{.*}}$", "\"inclusion_proof\":null}"));
        Run unproven = auditAccount(stripped);
        assertThat(unproven.exit()).as(unproven.out()).isEqualTo(1);
        assertThat(unproven.out()).contains("1 events have no inclusion proof");
    }

    @Test
    void aCheckpointSignedByAnotherKeyIsRefused() throws Exception {
        int size = 2 * lines.size();
        NoteSigner impostor = NoteSigner.parse(NoteSigner.generate("test.example/log"));
        Run run = auditAccount(accountExport(size, sharedCheckpoint(size, impostor)));
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("the export's checkpoint (its lines' proofs lead to it): no signature of the trusted key");
        // and a checkpoint given beside the export must be the export's
        Run other = auditAccount(accountExport(size, sharedCheckpoint(size, signer)), "--checkpoint",
                write("given.txt", sharedCheckpoint(9, signer)).toString());
        assertThat(other.exit()).as(other.out()).isEqualTo(1);
        assertThat(other.out()).contains("not the checkpoint given (tree size 9): export again with tree_size=9");
    }

    @Test
    void anExportTheServiceCutShortWithItsErrorIsIncomplete() throws Exception {
        int size = 2 * lines.size();
        List<String> cut = new ArrayList<>(accountExport(size, sharedCheckpoint(size, signer)).subList(0, 4));
        // what the service appends when the database fails mid-stream (the status line is sent already)
        cut.add("{\"message\":\"A resource this request needs is busy or unavailable; retry shortly\",\"success\":false,"
                + "\"error\":{\"code\":503,\"message\":\"A resource this request needs is busy or unavailable; retry "
                + "shortly\",\"details\":{\"reason\":\"temporarily_unavailable\",\"retry_after_seconds\":1}}}");
        Run run = auditAccount(cut);
        assertThat(run.exit()).as(run.out()).isEqualTo(1);
        assertThat(run.out()).contains("line 5: the service stopped the export here with an error (A resource this "
                + "request needs is busy or unavailable; retry shortly): the export is incomplete; export again")
                .doesNotContain("key_id, sequence_number, type or payload is missing");
    }

    @Test
    void anOmittedLineIsRefused() throws Exception {
        int size = 2 * lines.size();
        List<String> export = accountExport(size, sharedCheckpoint(size, signer));
        List<String> middle = new ArrayList<>(export);
        middle.remove(5);
        Run gap = auditAccount(middle);
        assertThat(gap.exit()).as(gap.out()).isEqualTo(1);
        assertThat(gap.out()).contains("expected sequence 4 of this key: events are missing");
        // the newest event left out: only an earlier export that had it shows the omission
        List<String> newest = new ArrayList<>(export.subList(0, export.size() - 1));
        assertThat(auditAccount(newest).exit()).as("alone, a history cut short at its end looks complete").isZero();
        Path earlier = write("earlier.ndjson", String.join("\n", export) + "\n");
        Run omitted = auditAccount(newest, "--previous-export", earlier.toString());
        assertThat(omitted.exit()).as(omitted.out()).isEqualTo(1);
        assertThat(omitted.out()).contains("had its events up to sequence " + (lines.size() - 1))
                .contains("events were omitted");
        Run grown = auditAccount(export, "--previous-export", write("older.ndjson", String.join("\n", newest) + "\n")
                .toString());
        assertThat(grown.exit()).as(grown.out()).isZero();
        assertThat(grown.out()).contains("every key's events in it are in this export, unchanged (1 keys)");
    }

    @Test
    void aConsistencyProofFromAFileProvesAnEarlierCheckpointAPrefix() throws Exception {
        int size = 2 * lines.size();
        String now = sharedCheckpoint(size, signer);
        String then = sharedCheckpoint(7, signer);
        Path proof = write("proof.json", consistencyAnswer(7, size));
        Run alone = run("--public-key", write("key.txt", signer.verifier() + "\n").toString(), "--checkpoint",
                write("now.txt", now).toString(), "--previous-checkpoint", write("then.txt", then).toString(),
                "--consistency", proof.toString());
        assertThat(alone.exit()).as(alone.out()).isZero();
        assertThat(alone.out()).contains("its 7 leaves are the first of the checkpoint's " + size).contains("INTACT");
        Run withExport = auditAccount(accountExport(size, now), "--previous-checkpoint", dir.resolve("then.txt")
                .toString(), "--consistency", proof.toString());
        assertThat(withExport.exit()).as(withExport.out()).isZero();
        Run withoutProof = auditAccount(accountExport(size, now), "--previous-checkpoint", dir.resolve("then.txt")
                .toString());
        assertThat(withoutProof.exit()).as(withoutProof.out()).isEqualTo(1);
        assertThat(withoutProof.out()).contains("no consistency proof links the previous checkpoint (tree size 7)")
                .contains("consistency?first=7&second=" + size);
    }

    @Test
    void aWrongConsistencyProofIsRefused() throws Exception {
        int size = 2 * lines.size();
        String then = sharedCheckpoint(7, signer);
        // the operator rewrote an old leaf and signed the new tree: the log's own proof cannot link the two
        List<byte[]> rewritten = new ArrayList<>(sharedLog());
        rewritten.set(2, ReferenceMerkle.leafHash(sha(9, new byte[] {1})));
        String resigned = signer.sign(new Checkpoint("test.example/log", size, ReferenceMerkle.mth(rewritten)).text());
        String[] base = {"--public-key", write("key.txt", signer.verifier() + "\n").toString(), "--checkpoint",
                write("now.txt", resigned).toString(), "--previous-checkpoint", write("then.txt", then).toString(),
                "--consistency"};
        Run forged = run(concat(base, write("proof.json", consistencyAnswer(7, size)).toString()));
        assertThat(forged.exit()).as(forged.out()).isEqualTo(1);
        assertThat(forged.out()).contains("does not show the previous checkpoint's tree (7 leaves) is a prefix");
        Run sizes = run(concat(base, write("proof2.json", consistencyAnswer(6, size)).toString()));
        assertThat(sizes.exit()).isEqualTo(1);
        assertThat(sizes.out()).contains("from tree size 6 to " + size + ", not from the previous checkpoint's 7");
        Run garbage = run(concat(base, write("proof3.json", "{\"data\":{\"first\":7}}").toString()));
        assertThat(garbage.exit()).isEqualTo(1);
        assertThat(garbage.out()).contains("the consistency proof file: it needs first and second");
    }

    static String[] concat(String[] base, String last) {
        String[] all = java.util.Arrays.copyOf(base, base.length + 1);
        all[base.length] = last;
        return all;
    }

    @Test
    void usageErrorsExitWith2() throws Exception {
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run("--export", "x").exit()).isEqualTo(2);
        assertThat(run("--export", "a", "--checkpoint", "b", "--public-key", "c", "--what", "d").exit()).isEqualTo(2);
        assertThat(run("--export", "/nonexistent", "--checkpoint", "/nonexistent", "--public-key", "/nonexistent")
                .exit()).isEqualTo(2);
        Path key = write("bad-key.txt", "not a key\n");
        Path checkpoint = write("c.txt", checkpoint(1, digests));
        Path export = write("e.ndjson", lines.get(0) + "\n");
        Run badKey = run("--export", export.toString(), "--checkpoint", checkpoint.toString(), "--public-key", key.toString());
        assertThat(badKey.exit()).isEqualTo(2);
        assertThat(badKey.out()).contains("not a note verifier key");
        // a consistency proof needs the earlier checkpoint; without an export all three checkpoint files are needed
        assertThat(run("--public-key", key.toString(), "--checkpoint", checkpoint.toString(), "--consistency", "p")
                .exit()).isEqualTo(2);
        assertThat(run("--public-key", key.toString(), "--checkpoint", checkpoint.toString(), "--previous-checkpoint",
                checkpoint.toString()).exit()).isEqualTo(2);
    }
}
