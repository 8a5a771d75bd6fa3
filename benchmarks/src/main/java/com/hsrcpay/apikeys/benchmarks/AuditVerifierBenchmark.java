package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.chain.Json;
import com.hsrcpay.apikeys.transparency.merkle.CompactRange;
import com.hsrcpay.apikeys.transparency.merkle.MerkleHashes;
import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import com.hsrcpay.apikeys.transparency.verifier.AuditVerification;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;

/**
 * The offline verifier's speed on a large export, beside its baseline from the same run: reading the export and
 * computing every line's chain digest alone (parse, canonical JSON, SHA-256), which no audit can skip. The full audit
 * adds the tree over every leaf, the checkpoint's root and an earlier checkpoint's. Args: events (1,000,000).
 */
public final class AuditVerifierBenchmark {

    private static final int EVENTS_PER_KEY = 10;

    private AuditVerifierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        Path dir = Files.createTempDirectory("audit-verifier-benchmark");
        Path export = dir.resolve("export.ndjson");
        NoteSigner signer = NoteSigner.parse(NoteSigner.generate("bench.example/log"));
        CompactRange range = new CompactRange();
        byte[] halfRoot = null;
        String key = null;
        String previous = ChainDigests.GENESIS;
        Instant t0 = Instant.parse("2026-12-01T00:00:00.123456Z");
        try (BufferedWriter out = Files.newBufferedWriter(export, StandardCharsets.UTF_8)) {
            for (int i = 0; i < events; i++) {
                int sequence = i % EVENTS_PER_KEY;
                if (sequence == 0) {
                    key = UUID.randomUUID().toString();
                    previous = ChainDigests.GENESIS;
                }
                String type = sequence == 0 ? "KeyCreated" : "KeyUpdated";
                String payload = "{\"keyId\":\"" + key + "\",\"accountId\":\"acct_bench\",\"mode\":\"live\",\"name\":\"key "
                        + i + " \\\"ü\\\"\",\"metadata\":{\"n\":" + i + ",\"ratio\":0.25},\"permissions\":{\"account:api:key\":"
                        + "[\"read\"]},\"actor\":{\"type\":\"USER\",\"id\":\"user_1\"},\"occurredAt\":\""
                        + t0.plusMillis(i) + "\",\"requestId\":\"req_" + i + "\"}";
                @SuppressWarnings("unchecked")
                String digest = ChainDigests.digest(previous, key, sequence, type, (Map<String, Object>) Json.parse(payload));
                previous = digest;
                out.write("{\"global_index\":" + (i + 1) + ",\"key_id\":\"" + key + "\",\"sequence_number\":" + sequence
                        + ",\"type\":\"" + type + "\",\"occurred_at\":\"" + t0.plusMillis(i) + "\",\"payload\":" + payload
                        + ",\"chain_digest\":\"" + digest + "\",\"leaf_index\":" + i + "}\n");
                range.append(MerkleHashes.leaf(HexFormat.of().parseHex(digest)));
                if (i + 1 == events / 2) {
                    halfRoot = range.root();
                }
            }
        }
        String checkpoint = signer.sign(new Checkpoint(signer.name(), events, range.root()).text());
        String earlier = signer.sign(new Checkpoint(signer.name(), events / 2, halfRoot).text());
        System.out.printf("export: %,d events, %,d MB%n", events, Files.size(export) >> 20);

        long chainOnly = Long.MAX_VALUE;
        long audit = Long.MAX_VALUE;
        for (int round = 0; round < 2; round++) {
            long started = System.nanoTime();
            long matched = chainDigestsAlone(export);
            chainOnly = Math.min(chainOnly, System.nanoTime() - started);
            if (matched != events) {
                throw new IllegalStateException("the baseline matched " + matched + " of " + events);
            }
            started = System.nanoTime();
            AuditVerification.Result result;
            try (BufferedReader lines = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
                result = new AuditVerification(signer.verifier(), new PrintStream(OutputStream.nullOutputStream()))
                        .verify(lines, export.toString(), checkpoint, earlier);
            }
            audit = Math.min(audit, System.nanoTime() - started);
            if (!result.intact()) {
                throw new IllegalStateException("the audit found " + result.findings());
            }
        }
        System.out.printf("chain digests alone: %.2f s (%,.0f events/s)%n", chainOnly / 1e9, events / (chainOnly / 1e9));
        System.out.printf("full audit (chains, tree, two checkpoints): %.2f s (%,.0f events/s)%n", audit / 1e9,
                events / (audit / 1e9));
        System.out.printf("audit speed / chain-digest speed: x%.2f (target >= x0.5)%n", (double) chainOnly / audit);
        Files.delete(export);
        Files.delete(dir);
    }

    /** The baseline: every line read, parsed and its chain digest recomputed from its predecessor's. */
    private static long chainDigestsAlone(Path export) throws Exception {
        long matched = 0;
        String previous = ChainDigests.GENESIS;
        String previousKey = "";
        try (BufferedReader lines = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            String line;
            while ((line = lines.readLine()) != null) {
                @SuppressWarnings("unchecked")
                Map<String, Object> event = (Map<String, Object>) Json.parse(line);
                String key = (String) event.get("key_id");
                if (!key.equals(previousKey)) {
                    previous = ChainDigests.GENESIS;
                    previousKey = key;
                }
                @SuppressWarnings("unchecked")
                String digest = ChainDigests.digest(previous, key,
                        Long.parseLong(((Json.Number) event.get("sequence_number")).text()), (String) event.get("type"),
                        (Map<String, Object>) event.get("payload"));
                if (digest.equals(event.get("chain_digest"))) {
                    matched++;
                }
                previous = digest;
            }
        }
        return matched;
    }
}
