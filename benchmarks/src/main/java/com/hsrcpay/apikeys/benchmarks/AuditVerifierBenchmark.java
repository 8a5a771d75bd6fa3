package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.chain.Json;
import com.hsrcpay.apikeys.transparency.merkle.CompactRange;
import com.hsrcpay.apikeys.transparency.merkle.MerkleHashes;
import com.hsrcpay.apikeys.transparency.merkle.MerkleTree;
import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteSigner;
import com.hsrcpay.apikeys.transparency.verifier.AuditVerification;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.InputStream;
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
 * The offline verifier's speed on a large export, beside its baseline from the same run: reading the export of the
 * same events without proofs (542 MB for 1,000,000) and computing every line's chain digest from its predecessor's
 * alone ({@link AuditVerification#chainDigestsAlone}: the verifier's own reading and digest code, nothing else), which
 * no audit can skip. The full audit adds the tree over every leaf, the checkpoint's root and an earlier checkpoint's.
 * The account's audit (the export as the service writes it) reads the same events as one account's among a
 * neighbour's (every other leaf of a log twice as large), each line with its inclusion proof against the header's
 * checkpoint (1,531 MB), and checks every chain and every proof. The three run in turn in each round (other work on
 * the machine weighs on all three alike), best of the rounds; the load average is printed with each round. Each is
 * timed twice: wall-clock, and the CPU time of the thread that runs it (what the machine's other work does not
 * inflate, as it does the wall-clock time on a shared machine; the collector's threads are not in it).
 * Args: events (1,000,000), rounds (3).
 */
public final class AuditVerifierBenchmark {

    private static final int EVENTS_PER_KEY = 10;

    private AuditVerifierBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
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
        Path accountExport = dir.resolve("account.ndjson");
        accountExport(export, events, signer, accountExport);
        System.out.printf("account's export with proofs: %,d events in a log of %,d, %,d MB%n", events, 2L * events,
                Files.size(accountExport) >> 20);

        long chainOnly = Long.MAX_VALUE;
        long audit = Long.MAX_VALUE;
        long account = Long.MAX_VALUE;
        long chainOnlyCpu = Long.MAX_VALUE;
        long auditCpu = Long.MAX_VALUE;
        long accountCpu = Long.MAX_VALUE;
        for (int round = 0; round < rounds; round++) {
            double loadBefore = os.getSystemLoadAverage();
            long started = System.nanoTime();
            long cpu = threads.getCurrentThreadCpuTime();
            long matched;
            try (InputStream lines = Files.newInputStream(export)) {
                matched = AuditVerification.chainDigestsAlone(lines);
            }
            long baseline = System.nanoTime() - started;
            long baselineCpu = threads.getCurrentThreadCpuTime() - cpu;
            if (matched != events) {
                throw new IllegalStateException("the baseline matched " + matched + " of " + events);
            }
            started = System.nanoTime();
            cpu = threads.getCurrentThreadCpuTime();
            AuditVerification.Result result;
            try (InputStream lines = Files.newInputStream(export)) {
                result = new AuditVerification(signer.verifier(), new PrintStream(OutputStream.nullOutputStream()))
                        .verify(lines, export.toString(), checkpoint, earlier);
            }
            long whole = System.nanoTime() - started;
            long wholeCpu = threads.getCurrentThreadCpuTime() - cpu;
            if (!result.intact()) {
                throw new IllegalStateException("the audit found " + result.findings());
            }
            started = System.nanoTime();
            cpu = threads.getCurrentThreadCpuTime();
            try (InputStream lines = Files.newInputStream(accountExport)) {
                result = new AuditVerification(signer.verifier(), new PrintStream(OutputStream.nullOutputStream()))
                        .verify(lines, accountExport.toString(), null, null);
            }
            long accounts = System.nanoTime() - started;
            long accountsCpu = threads.getCurrentThreadCpuTime() - cpu;
            if (!result.intact() || !String.join("\n", result.report()).contains("each of the " + events + " events")) {
                throw new IllegalStateException("the account's audit found " + result.findings());
            }
            System.out.printf("round %d (load %.1f to %.1f): chain digests alone %.2f s, full audit %.2f s (x%.2f), "
                    + "account's audit %.2f s (x%.2f)%n", round + 1, loadBefore, os.getSystemLoadAverage(),
                    baseline / 1e9, whole / 1e9, (double) baseline / whole, accounts / 1e9,
                    (double) baseline / accounts);
            System.out.printf("        CPU time: chain digests alone %.2f s, full audit %.2f s (x%.2f), account's audit "
                    + "%.2f s (x%.2f)%n", baselineCpu / 1e9, wholeCpu / 1e9, (double) baselineCpu / wholeCpu,
                    accountsCpu / 1e9, (double) baselineCpu / accountsCpu);
            chainOnlyCpu = Math.min(chainOnlyCpu, baselineCpu);
            auditCpu = Math.min(auditCpu, wholeCpu);
            accountCpu = Math.min(accountCpu, accountsCpu);
            chainOnly = Math.min(chainOnly, baseline);
            audit = Math.min(audit, whole);
            account = Math.min(account, accounts);
        }
        System.out.printf("best of %d rounds:%n", rounds);
        System.out.printf("chain digests alone: %.2f s (%,.0f events/s)%n", chainOnly / 1e9, events / (chainOnly / 1e9));
        System.out.printf("full audit (chains, tree, two checkpoints): %.2f s (%,.0f events/s)%n", audit / 1e9,
                events / (audit / 1e9));
        System.out.printf("audit speed / chain-digest speed: x%.2f (target >= x0.5)%n", (double) chainOnly / audit);
        System.out.printf("account's audit (chains, one inclusion proof per line): %.2f s (%,.0f events/s)%n",
                account / 1e9, events / (account / 1e9));
        System.out.printf("account's audit speed / chain-digest speed: x%.2f (target >= x0.5)%n",
                (double) chainOnly / account);
        System.out.printf("by CPU time: chain digests alone %.2f s, full audit %.2f s (x%.2f), account's audit %.2f s "
                + "(x%.2f)%n", chainOnlyCpu / 1e9, auditCpu / 1e9, (double) chainOnlyCpu / auditCpu, accountCpu / 1e9,
                (double) chainOnlyCpu / accountCpu);
        Files.delete(accountExport);
        Files.delete(export);
        Files.delete(dir);
    }

    /**
     * The same events as one account's in a log twice as large (a neighbour's leaf after each), written as the service
     * writes an export: a header with the signed checkpoint, then each line with its leaf and inclusion proof.
     */
    private static void accountExport(Path export, int events, NoteSigner signer, Path out) throws Exception {
        long size = 2L * events;
        byte[][] levels = new byte[64 - Long.numberOfLeadingZeros(size)][];
        for (int level = 0; level < levels.length; level++) {
            levels[level] = new byte[(int) (size >>> level) * MerkleHashes.SIZE];
        }
        CompactRange.Completed keep = (level, index, hash) -> System.arraycopy(hash, 0, levels[level],
                (int) index * MerkleHashes.SIZE, MerkleHashes.SIZE);
        CompactRange log = new CompactRange();
        try (BufferedReader lines = Files.newBufferedReader(export, StandardCharsets.UTF_8)) {
            String line;
            int i = 0;
            while ((line = lines.readLine()) != null) {
                String digest = line.substring(line.indexOf("\"chain_digest\":\"") + 16).substring(0, 64);
                log.append(MerkleHashes.leaf(HexFormat.of().parseHex(digest)), keep);
                log.append(MerkleHashes.leaf(MerkleHashes.leaf(new byte[] {(byte) i, (byte) (i >> 8), (byte) (i >> 16)})),
                        keep);
                i++;
            }
        }
        MerkleTree tree = new MerkleTree((level, index) -> java.util.Arrays.copyOfRange(levels[level],
                (int) index * MerkleHashes.SIZE, (int) (index + 1) * MerkleHashes.SIZE));
        String note = signer.sign(new Checkpoint(signer.name(), size, log.root()).text());
        java.util.Base64.Encoder base64 = java.util.Base64.getEncoder();
        try (BufferedReader lines = Files.newBufferedReader(export, StandardCharsets.UTF_8);
             BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            writer.write("{\"account_id\":\"acct_bench\",\"mode\":\"live\",\"from\":\"2000-01-01T00:00:00Z\","
                    + "\"to\":\"2100-01-01T00:00:00Z\",\"checkpoint\":\"" + note.replace("\n", "\\n") + "\"}\n");
            String line;
            long i = 0;
            while ((line = lines.readLine()) != null) {
                long leaf = 2 * i;
                StringBuilder proof = new StringBuilder();
                for (byte[] hash : tree.inclusionProof(leaf, size)) {
                    proof.append(proof.isEmpty() ? "\"" : ",\"").append(base64.encodeToString(hash)).append('"');
                }
                writer.write(line.substring(0, line.lastIndexOf("\"leaf_index\":")) + "\"leaf_index\":" + leaf
                        + ",\"inclusion_proof\":{\"tree_size\":" + size + ",\"hashes\":[" + proof + "]}}\n");
                i++;
            }
        }
    }
}
