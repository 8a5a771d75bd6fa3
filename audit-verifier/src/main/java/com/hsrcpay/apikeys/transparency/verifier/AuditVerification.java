package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.chain.Json;
import com.hsrcpay.apikeys.transparency.merkle.CompactRange;
import com.hsrcpay.apikeys.transparency.merkle.MerkleHashes;
import com.hsrcpay.apikeys.transparency.merkle.MerkleProofs;
import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteFormatException;
import com.hsrcpay.apikeys.transparency.note.NoteVerifier;
import com.hsrcpay.apikeys.transparency.note.SignedNote;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * The offline audit of one account's export. Every line's chain digest is recomputed from its content and its key's
 * previous digest; every line the checkpoint covers must carry an RFC 9162 inclusion proof that leads from its
 * digest, at its leaf index, to the signed root (the export's header carries that checkpoint; the other accounts'
 * leaves are not needed). Given an earlier checkpoint, a consistency proof (from a file) shows the log was only
 * appended to since; given an earlier export, every key's events in it must still be in this one, unchanged.
 *
 * <p>An export without proofs (written before they existed) is still checked when it holds every leaf of the
 * checkpoint's tree: the root and an earlier checkpoint's root are then recomputed from its leaves.
 *
 * <p>Reads the export once, as bytes in large blocks, in constant memory per line (32 bytes kept per leaf and a
 * little per key); lines in the service's layout are read by a scan ({@link EventLine}), any other by the JSON reader.
 * Text that is not UTF-8 ends the audit with {@link CharacterCodingException}.
 */
public final class AuditVerification {

    static final int PROGRESS_EVERY = 100_000;
    private static final int FINDINGS_SHOWN = 20;

    /** The outcome: findings (empty: intact) and the report lines. */
    public record Result(List<String> findings, List<String> report) {
        public boolean intact() {
            return findings.isEmpty();
        }
    }

    /**
     * What to audit; every part may be null but the verifier's: an export (with its name for the report), the
     * checkpoint to check against (optional when the export carries one), an earlier checkpoint, a consistency
     * proof between the two (the consistency endpoint's answer), and an earlier export of the same account.
     */
    public record Inputs(InputStream export, String exportName, String checkpointNote, String previousNote,
                         String consistencyProof, InputStream previousExport, String previousExportName) {
    }

    private final NoteVerifier verifier;
    private final PrintStream progress;
    private final List<String> findings = new ArrayList<>();
    private final List<String> report = new ArrayList<>();

    public AuditVerification(NoteVerifier verifier, PrintStream progress) {
        this.verifier = verifier;
        this.progress = progress;
    }

    /** Where a key's chain stands: the sequence number its next line must have, and the digest that line follows. */
    private static final class KeyState {
        long nextSequence;
        String claimedDigest = ChainDigests.GENESIS;
    }

    /** A key's newest event in an earlier export: this export must hold it unchanged. */
    private static final class Head {
        final long sequence;
        final String digest;
        boolean seen;

        Head(long sequence, String digest) {
            this.sequence = sequence;
            this.digest = digest;
        }
    }

    /** What an export's header line says: its window, and the checkpoint its proofs lead to. */
    private record Header(String accountId, String from, String to, String checkpointNote) {
    }

    /**
     * The part of an audit nothing can skip, alone: every line read and its chain digest recomputed from its
     * predecessor's (the lines of a key consecutive), with the same reading as the audit; answers how many matched.
     * The speed an audit is measured against ({@code AuditVerifierBenchmark}).
     */
    public static long chainDigestsAlone(InputStream export) throws IOException {
        ExportReader reader = new ExportReader(export);
        EventLine line = new EventLine();
        long matched = 0;
        String previous = ChainDigests.GENESIS;
        String previousKey = "";
        while (reader.next()) {
            if (!line.scan(reader.buffer(), reader.start(), reader.end())) {
                if (!(Json.parse(utf8(reader)) instanceof Map<?, ?> object)) {
                    continue;
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> event = (Map<String, Object>) object;
                line.of(event);
            }
            if (line.keyId == null || line.sequence == null || line.type == null || !line.hasPayload()) {
                continue; // not an event line (the header)
            }
            if (!line.keyId.equals(previousKey)) {
                previous = ChainDigests.GENESIS;
                previousKey = line.keyId;
            }
            String digest = line.digest(previous);
            if (digest != null && digest.equals(line.claimed)) {
                matched++;
            }
            previous = digest;
        }
        return matched;
    }

    /** Audits {@code export} (NDJSON) against the signed {@code checkpointNote} and, if given, {@code previousNote}. */
    public Result verify(InputStream export, String exportName, String checkpointNote, String previousNote)
            throws IOException {
        return verify(new Inputs(export, exportName, checkpointNote, previousNote, null, null, null));
    }

    public Result verify(Inputs in) throws IOException {
        Checkpoint given = in.checkpointNote() == null ? null : open("checkpoint", in.checkpointNote());
        Checkpoint previous = in.previousNote() == null ? null : open("previous checkpoint", in.previousNote());
        if ((in.checkpointNote() != null && given == null) || (in.previousNote() != null && previous == null)) {
            return result();
        }
        if (given != null) {
            report.add("checkpoint: " + describe(given) + ": signature valid (" + verifier + ")");
        }
        if (previous != null) {
            report.add("previous checkpoint: " + describe(previous) + ": signature valid");
        }
        Map<String, Head> heads = null;
        Header previousHeader = null;
        if (in.previousExport() != null) {
            heads = new HashMap<>();
            previousHeader = heads(in.previousExport(), in.previousExportName(), heads);
        }
        Checkpoint checkpoint = given;
        byte[] leaves = new byte[0];
        BitSet present = new BitSet();
        if (in.export() != null) {
            Audit audit = new Audit(in.exportName(), given, heads);
            audit.read(in.export());
            checkpoint = audit.checkpoint;
            leaves = audit.leaves;
            present = audit.present;
            if (heads != null) {
                compare(previousHeader, audit.header, heads, in.previousExportName());
            }
        }
        if (previous != null && checkpoint != null) {
            consistency(previous, checkpoint, in.consistencyProof(), leaves, present);
        }
        return result();
    }

    /** One pass over the export. */
    private final class Audit {
        final String name;
        final Checkpoint given;
        final Map<String, Head> heads;
        final Map<String, KeyState> keys = new HashMap<>();
        Checkpoint checkpoint;
        Header header;
        byte[] leaves = new byte[32 * 1024];
        final BitSet present = new BitSet();
        long lines;
        long events;
        long chainBreaks;
        long unlogged;
        long proven;
        long unproven;
        long badProofs;
        long newer;
        InclusionChecks inclusion;
        final MessageDigest sha = ChainDigests.sha256();

        Audit(String name, Checkpoint given, Map<String, Head> heads) {
            this.name = name;
            this.given = given;
            this.heads = heads;
            this.checkpoint = given;
        }

        void read(InputStream export) throws IOException {
            ExportReader reader = new ExportReader(export);
            EventLine line = new EventLine();
            boolean first = true;
            while (reader.next()) {
                lines++;
                if (!line.scan(reader.buffer(), reader.start(), reader.end())) {
                    Map<String, Object> object = object(utf8(reader), "line " + lines);
                    if (object == null) {
                        first = false;
                        continue;
                    }
                    if (first && object.containsKey("checkpoint") && !object.containsKey("key_id")) {
                        first = false;
                        header(object);
                        continue;
                    }
                    if (Boolean.FALSE.equals(object.get("success")) && object.containsKey("error")) {
                        // the service failed after the stream began: it appends its error envelope and stops
                        finding("line " + lines + ": the service stopped the export here with an error ("
                                + object.get("message") + "): the export is incomplete; export again");
                        break;
                    }
                    line.of(object);
                }
                first = false;
                if (lines == 1) {
                    report.add("export " + name + ": no header line (an export from before inclusion proofs): "
                            + "checked as the whole log");
                }
                event(line);
                if (lines % PROGRESS_EVERY == 0) {
                    progress.println("  ... " + lines + " lines checked");
                }
            }
            if (checkpoint == null && (header == null || header.checkpointNote() == null)) {
                finding("no checkpoint to check the export against: it carries none (exported before the log's "
                        + "first checkpoint) and --checkpoint was not given");
            }
            report.add("export " + name + ": " + events + " events of " + keys.size() + " keys"
                    + (header == null ? "" : " (account " + header.accountId() + ", from " + header.from() + " to "
                    + header.to() + ")"));
            report.add(chainBreaks == 0 ? "chain digests: every event's digest matches its content and its predecessor"
                    : "chain digests: " + chainBreaks + " events do not match");
            if (unlogged > 0) {
                report.add(unlogged + " events have no leaf_index yet (not in the log when exported): no checkpoint "
                        + "covers them");
            }
            if (newer > 0) {
                report.add(newer + " events are newer than the checkpoint: not covered by it");
            }
            if (checkpoint != null) {
                tree();
            }
        }

        private void header(Map<String, Object> object) {
            header = new Header(text(object.get("account_id")), text(object.get("from")), text(object.get("to")),
                    text(object.get("checkpoint")));
            if (header.checkpointNote() == null) {
                report.add("export " + name + ": its header carries no checkpoint (exported before the log's first)");
                return;
            }
            Checkpoint carried = open("the export's checkpoint (its lines' proofs lead to it)", header.checkpointNote());
            if (carried == null) {
                checkpoint = null;
                return;
            }
            report.add("the export's checkpoint: " + describe(carried) + ": signature valid");
            if (given != null && !given.equals(carried)) {
                finding("the export's proofs are against tree size " + carried.size() + " (root " + root(carried)
                        + "), not the checkpoint given (tree size " + given.size() + "): export again with tree_size="
                        + given.size() + ", or pass the given checkpoint as --previous-checkpoint with a "
                        + "consistency proof");
            }
            checkpoint = carried;
        }

        private void event(EventLine event) {
            events++;
            String keyId = event.keyId;
            Long sequence = event.sequence;
            String claimed = event.claimed;
            if (keyId == null || sequence == null || event.type == null || !event.hasPayload()) {
                finding("line " + lines + ": key_id, sequence_number, type or payload is missing");
                return;
            }
            KeyState state = keys.get(keyId);
            if (state == null) {
                state = new KeyState();
                keys.put(keyId, state);
            }
            if (sequence != state.nextSequence) {
                chainBreaks++;
                finding(where(keyId, sequence) + ": expected sequence " + state.nextSequence + " of this key: events "
                        + "are missing or out of order");
            }
            String recomputed = event.digest(state.claimedDigest);
            boolean wellFormed = event.claimedWellFormed;
            if (!wellFormed) {
                chainBreaks++;
                finding(where(keyId, sequence) + ": no chain digest");
            } else if (!claimed.equals(recomputed)) {
                chainBreaks++;
                finding(where(keyId, sequence) + ": the chain digest does not match the event's content and its "
                        + "predecessor: the event was changed");
            }
            state.nextSequence = sequence + 1;
            state.claimedDigest = claimed == null ? ChainDigests.GENESIS : claimed;
            if (heads != null) {
                Head head = heads.get(keyId);
                if (head != null && head.sequence == sequence) {
                    head.seen = true;
                    if (!head.digest.equals(claimed)) {
                        finding(where(keyId, sequence) + ": its chain digest differs from the previous export's at "
                                + "this sequence: the key's history was rewritten between the two exports");
                    }
                }
            }

            Long leafIndex = event.leafIndex;
            if (leafIndex == null) {
                unlogged++;
                return;
            }
            if (leafIndex < 0 || leafIndex >= Integer.MAX_VALUE / 32) {
                finding(where(keyId, sequence) + ": leaf_index " + leafIndex + " is out of range");
                return;
            }
            int index = (int) (long) leafIndex;
            if (present.get(index)) {
                finding(where(keyId, sequence) + ": leaf_index " + leafIndex + " appears twice");
                return;
            }
            if (!wellFormed) {
                return;
            }
            byte[] digest = HexFormat.of().parseHex(claimed);
            if ((long) (index + 1) * 32 > leaves.length) {
                leaves = Arrays.copyOf(leaves, Math.max(leaves.length * 2, (index + 1) * 32));
            }
            System.arraycopy(digest, 0, leaves, index * 32, 32);
            present.set(index);
            if (checkpoint == null) {
                return;
            }
            if (leafIndex >= checkpoint.size()) {
                newer++;
                return;
            }
            if (event.proof == EventLine.Proof.NONE) {
                unproven++;
                return;
            }
            Long treeSize = event.treeSize;
            boolean malformed = event.proof == EventLine.Proof.MALFORMED;
            if (treeSize == null || treeSize != checkpoint.size() || malformed) {
                badProofs++;
                finding(where(keyId, sequence) + ": its inclusion_proof is " + (malformed ? "malformed" : "for tree "
                        + "size " + treeSize + ", not the checkpoint's " + checkpoint.size()));
            } else if (event.hashesAreText && inclusion().verify(leafIndex, MerkleHashes.leaf(sha, digest),
                    event.hashText, event.hashStarts, event.hashEnds, event.hashCount)) {
                proven++;
            } else {
                badProofs++;
                finding(where(keyId, sequence) + ": its inclusion proof does not lead from its chain digest at leaf "
                        + leafIndex + " to the checkpoint's root: this event is not the one the log signed there (the "
                        + "event, its digest, its leaf_index or the proof was changed)");
            }
        }

        private String where(String keyId, long sequence) {
            return "line " + lines + " (key " + keyId + ", sequence " + sequence + ")";
        }

        /** The proofs' checks against the checkpoint's root, made once the checkpoint is known. */
        private InclusionChecks inclusion() {
            if (inclusion == null) {
                inclusion = new InclusionChecks(checkpoint.size(), checkpoint.rootHash());
            }
            return inclusion;
        }

        private void tree() {
            long size = checkpoint.size();
            if (unproven == 0) {
                if (proven > 0 || badProofs > 0) {
                    report.add(badProofs == 0 ? "inclusion: each of the " + proven + " events the checkpoint covers "
                            + "is in its tree (its proof leads from its digest to the signed root)"
                            : "inclusion: " + badProofs + " of " + (proven + badProofs) + " proofs fail");
                }
                return;
            }
            // lines without proofs: only the whole log's leaves can show they are in the tree
            int firstMissing = present.nextClearBit(0);
            if (firstMissing < size) {
                finding(unproven + " events have no inclusion proof, and the export lacks leaf " + firstMissing
                        + " of the checkpoint's " + size + " (it holds " + present.cardinality() + " leaves): without "
                        + "proofs only the whole log can be checked against the root");
                return;
            }
            if (MessageDigest.isEqual(root(leaves, size), checkpoint.rootHash())) {
                report.add("tree: the export's " + size + " leaves give the checkpoint's root");
            } else {
                finding("tree: the export's " + size + " leaves do not give the checkpoint's root: the events are not "
                        + "the ones the log signed (a row or a whole chain was rewritten)");
            }
        }
    }

    /** Reads an earlier export's newest event of each key (its chain was checked when that export was audited). */
    private Header heads(InputStream export, String name, Map<String, Head> heads) throws IOException {
        Header header = null;
        ExportReader reader = new ExportReader(export);
        EventLine line = new EventLine();
        long lines = 0;
        while (reader.next()) {
            lines++;
            if (!line.scan(reader.buffer(), reader.start(), reader.end())) {
                Map<String, Object> object = object(utf8(reader), "previous export line " + lines);
                if (object == null) {
                    continue;
                }
                if (lines == 1 && object.containsKey("checkpoint") && !object.containsKey("key_id")) {
                    header = new Header(text(object.get("account_id")), text(object.get("from")),
                            text(object.get("to")), null);
                    continue;
                }
                line.of(object);
            }
            String keyId = line.keyId;
            Long sequence = line.sequence;
            String digest = line.claimed;
            if (keyId == null || sequence == null || digest == null) {
                finding("previous export line " + lines + ": key_id, sequence_number or chain_digest is missing");
                continue;
            }
            Head head = heads.get(keyId);
            if (head == null || sequence > head.sequence) {
                heads.put(keyId, new Head(sequence, digest));
            }
        }
        report.add("previous export " + name + ": the newest events of " + heads.size() + " keys");
        return header;
    }

    /** The current line as text, for the JSON reader; {@link CharacterCodingException} when it is not UTF-8. */
    private static String utf8(ExportReader reader) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(reader.buffer(), reader.start(), reader.end() - reader.start())).toString();
    }

    /** Every key's newest event of the earlier export must be in this one, with the same digest. */
    private void compare(Header before, Header now, Map<String, Head> heads, String name) {
        if (before != null && now != null && before.to() != null && now.to() != null && before.from() != null
                && now.from() != null) {
            if (before.accountId() != null && !before.accountId().equals(now.accountId())) {
                finding("the previous export is of account " + before.accountId() + ", this one of " + now.accountId());
            }
            if (instant(now.from()) > instant(before.from()) || instant(now.to()) < instant(before.to())) {
                finding("this export's window (" + now.from() + " to " + now.to() + ") does not cover the previous "
                        + "one's (" + before.from() + " to " + before.to() + "): export a window that does");
                return;
            }
        }
        long missing = 0;
        for (Map.Entry<String, Head> entry : heads.entrySet()) {
            if (!entry.getValue().seen) {
                missing++;
                finding("key " + entry.getKey() + ": the previous export " + name + " had its events up to sequence "
                        + entry.getValue().sequence + ", this export lacks that event: events were omitted (or "
                        + "removed) since");
            }
        }
        if (missing == 0) {
            report.add("previous export: every key's events in it are in this export, unchanged ("
                    + heads.size() + " keys)");
        }
    }

    /** The earlier checkpoint's tree must be a prefix of the checkpoint's. */
    private void consistency(Checkpoint previous, Checkpoint checkpoint, String proofJson, byte[] leaves,
                             BitSet present) {
        if (!previous.origin().equals(checkpoint.origin())) {
            finding("the previous checkpoint is of another log (" + previous.origin() + ")");
            return;
        }
        if (previous.size() > checkpoint.size()) {
            finding("the previous checkpoint's tree (" + previous.size() + " leaves) is larger than the checkpoint's ("
                    + checkpoint.size() + "): the log shrank, events were removed");
            return;
        }
        if (previous.size() == checkpoint.size()) {
            if (MessageDigest.isEqual(previous.rootHash(), checkpoint.rootHash())) {
                report.add("previous checkpoint: the same tree as the checkpoint");
            } else {
                finding("the previous checkpoint and the checkpoint sign two different trees of " + previous.size()
                        + " leaves: the log was rewritten (or forked)");
            }
            return;
        }
        if (previous.size() == 0) {
            report.add("previous checkpoint: the empty tree, a prefix of every tree");
            return;
        }
        if (proofJson != null) {
            ConsistencyFile proof;
            try {
                proof = ConsistencyFile.parse(proofJson);
            } catch (IllegalArgumentException e) {
                finding("the consistency proof file: " + e.getMessage());
                return;
            }
            if (proof.first() != previous.size() || proof.second() != checkpoint.size()) {
                finding("the consistency proof is from tree size " + proof.first() + " to " + proof.second()
                        + ", not from the previous checkpoint's " + previous.size() + " to the checkpoint's "
                        + checkpoint.size());
            } else if (MerkleProofs.verifyConsistency(previous.size(), checkpoint.size(), previous.rootHash(),
                    checkpoint.rootHash(), proof.hashes())) {
                report.add("previous checkpoint: the consistency proof shows its " + previous.size() + " leaves are "
                        + "the first of the checkpoint's " + checkpoint.size() + ": the log was only appended to since");
            } else {
                finding("the consistency proof does not show the previous checkpoint's tree (" + previous.size()
                        + " leaves) is a prefix of the checkpoint's (" + checkpoint.size() + "): the log was "
                        + "rewritten since that checkpoint, or the proof is not the log's");
            }
            return;
        }
        if (present.nextClearBit(0) >= checkpoint.size()) {
            if (MessageDigest.isEqual(root(leaves, previous.size()), previous.rootHash())) {
                report.add("previous checkpoint: its " + previous.size() + " leaves are the first of the export's: the "
                        + "log was only appended to since");
            } else {
                finding("previous checkpoint: the first " + previous.size() + " leaves of the export do not give its "
                        + "root: the log was rewritten since that checkpoint");
            }
            return;
        }
        finding("no consistency proof links the previous checkpoint (tree size " + previous.size() + ") to the "
                + "checkpoint (" + checkpoint.size() + "): save GET /v1/transparency/consistency?first="
                + previous.size() + "&second=" + checkpoint.size() + " and pass it as --consistency");
    }

    private static byte[] root(byte[] leaves, long size) {
        CompactRange range = new CompactRange();
        for (int i = 0; i < size; i++) {
            range.append(MerkleHashes.leaf(Arrays.copyOfRange(leaves, i * 32, i * 32 + 32)));
        }
        return size == 0 ? MerkleHashes.empty() : range.root();
    }

    private Map<String, Object> object(String line, String where) {
        if (line.isBlank()) {
            finding(where + ": empty");
            return null;
        }
        try {
            if (!(Json.parse(line) instanceof Map<?, ?> object)) {
                throw new IllegalArgumentException("not a JSON object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> typed = (Map<String, Object>) object;
            return typed;
        } catch (IllegalArgumentException e) {
            finding(where + ": " + e.getMessage());
            return null;
        }
    }

    private Checkpoint open(String what, String note) {
        try {
            return Checkpoint.parse(SignedNote.open(note, verifier));
        } catch (NoteFormatException e) {
            findings.add(what + ": " + e.getMessage());
            return null;
        }
    }

    private static String describe(Checkpoint checkpoint) {
        return checkpoint.origin() + ", tree size " + checkpoint.size() + ", root " + root(checkpoint);
    }

    private static String root(Checkpoint checkpoint) {
        return Base64.getEncoder().encodeToString(checkpoint.rootHash());
    }

    private void finding(String text) {
        findings.add(text);
    }

    private Result result() {
        List<String> shown = new ArrayList<>(findings.subList(0, Math.min(findings.size(), FINDINGS_SHOWN)));
        if (findings.size() > FINDINGS_SHOWN) {
            shown.add("... and " + (findings.size() - FINDINGS_SHOWN) + " more findings");
        }
        List<String> lines = new ArrayList<>(report);
        shown.forEach(f -> lines.add("FINDING: " + f));
        lines.add(findings.isEmpty() ? "RESULT: INTACT" : "RESULT: NOT INTACT (" + findings.size() + " findings)");
        return new Result(List.copyOf(findings), lines);
    }

    /** Standard base64 hashes of 32 bytes, at most 64 of them; null when anything else. */
    static List<byte[]> hashes(Object value) {
        if (!(value instanceof List<?> items) || items.size() > 64) {
            return null;
        }
        List<byte[]> hashes = new ArrayList<>(items.size());
        for (Object item : items) {
            if (!(item instanceof String text)) {
                return null;
            }
            byte[] hash;
            try {
                hash = Base64.getDecoder().decode(text);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (hash.length != MerkleHashes.SIZE) {
                return null;
            }
            hashes.add(hash);
        }
        return hashes;
    }

    /** Epoch milliseconds of an ISO-8601 instant; Long.MIN_VALUE when it is not one (the window is then not compared). */
    private static long instant(String text) {
        try {
            return java.time.Instant.parse(text).toEpochMilli();
        } catch (java.time.format.DateTimeParseException | ArithmeticException e) {
            return Long.MIN_VALUE;
        }
    }

    static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    static Long integer(Object value) {
        if (value instanceof Json.Number number && number.integral()) {
            try {
                return Long.parseLong(number.text());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
