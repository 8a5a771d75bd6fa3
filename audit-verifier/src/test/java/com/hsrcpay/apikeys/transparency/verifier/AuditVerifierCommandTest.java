package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.chain.Json;
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
        assertThat(run.out()).contains("line 4").contains("stored row was changed").contains("NOT INTACT");
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
    }
}
