package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.chain.Json;
import com.hsrcpay.apikeys.transparency.merkle.CompactRange;
import com.hsrcpay.apikeys.transparency.merkle.MerkleHashes;
import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteFormatException;
import com.hsrcpay.apikeys.transparency.note.NoteVerifier;
import com.hsrcpay.apikeys.transparency.note.SignedNote;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
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
 * The offline audit: every line's chain digest recomputed from its content and its key's previous digest, the tree
 * over the export's leaves against the signed checkpoint's root, and, given an earlier checkpoint, the same leaves'
 * tree at its size against its root (the log was only appended to between the two). Reads the export once, in
 * constant memory per line (32 bytes kept per leaf and a little per key).
 *
 * <p>The tree root is recomputed from the leaves, so the export must hold every leaf of the checkpoint's tree: the
 * export of an account that holds every event of the log. An export with leaves missing (another account's events,
 * or events removed) is reported as not verifiable against the root.
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

    private final NoteVerifier verifier;
    private final PrintStream progress;
    private final List<String> findings = new ArrayList<>();
    private final List<String> report = new ArrayList<>();

    public AuditVerification(NoteVerifier verifier, PrintStream progress) {
        this.verifier = verifier;
        this.progress = progress;
    }

    private record KeyState(long nextSequence, String claimedDigest) {
    }

    /** Audits {@code export} (NDJSON) against the signed {@code checkpointNote} and, if given, {@code previousNote}. */
    public Result verify(BufferedReader export, String exportName, String checkpointNote, String previousNote)
            throws IOException {
        Checkpoint checkpoint = open("checkpoint", checkpointNote);
        Checkpoint previous = previousNote == null ? null : open("previous checkpoint", previousNote);
        if (checkpoint == null || (previousNote != null && previous == null)) {
            return result();
        }
        report.add("checkpoint: " + checkpoint.origin() + ", tree size " + checkpoint.size() + ", root "
                + Base64.getEncoder().encodeToString(checkpoint.rootHash()) + ": signature valid (" + verifier + ")");
        if (previous != null) {
            report.add("previous checkpoint: tree size " + previous.size() + ", root "
                    + Base64.getEncoder().encodeToString(previous.rootHash()) + ": signature valid");
            if (!previous.origin().equals(checkpoint.origin())) {
                findings.add("the previous checkpoint is of another log (" + previous.origin() + ")");
            }
            if (previous.size() > checkpoint.size()) {
                findings.add("the previous checkpoint's tree (" + previous.size() + " leaves) is larger than the "
                        + "checkpoint's (" + checkpoint.size() + "): the log shrank, events were removed");
            }
        }

        Map<String, KeyState> keys = new HashMap<>();
        byte[] leaves = new byte[32 * 1024];
        BitSet present = new BitSet();
        long lines = 0;
        long chainBreaks = 0;
        long unlogged = 0;
        String line;
        while ((line = export.readLine()) != null) {
            lines++;
            if (line.isBlank()) {
                finding("line " + lines + ": empty");
                continue;
            }
            Map<String, Object> event;
            try {
                if (!(Json.parse(line) instanceof Map<?, ?> object)) {
                    throw new IllegalArgumentException("not a JSON object");
                }
                @SuppressWarnings("unchecked")
                Map<String, Object> typed = (Map<String, Object>) object;
                event = typed;
            } catch (IllegalArgumentException e) {
                finding("line " + lines + ": " + e.getMessage());
                continue;
            }
            String keyId = text(event.get("key_id"));
            Long sequence = integer(event.get("sequence_number"));
            String type = text(event.get("type"));
            String claimed = text(event.get("chain_digest"));
            Object payload = event.get("payload");
            if (keyId == null || sequence == null || type == null || !(payload instanceof Map<?, ?>)) {
                finding("line " + lines + ": key_id, sequence_number, type or payload is missing");
                continue;
            }
            KeyState state = keys.getOrDefault(keyId, new KeyState(0, ChainDigests.GENESIS));
            String where = "line " + lines + " (key " + keyId + ", sequence " + sequence + ")";
            if (sequence != state.nextSequence()) {
                chainBreaks++;
                finding(where + ": expected sequence " + state.nextSequence() + " of this key: events are missing "
                        + "or out of order");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> content = (Map<String, Object>) payload;
            String recomputed;
            try {
                recomputed = ChainDigests.digest(state.claimedDigest(), keyId, sequence, type, content);
            } catch (IllegalArgumentException e) {
                recomputed = null;
            }
            if (claimed == null || !claimed.matches("[0-9a-f]{64}")) {
                chainBreaks++;
                finding(where + ": no chain digest");
            } else if (!claimed.equals(recomputed)) {
                chainBreaks++;
                finding(where + ": the chain digest does not match the event's content and its predecessor: the "
                        + "stored row was changed");
            }
            keys.put(keyId, new KeyState(sequence + 1, claimed == null ? ChainDigests.GENESIS : claimed));

            Long leafIndex = integer(event.get("leaf_index"));
            if (leafIndex == null) {
                unlogged++;
            } else if (leafIndex < 0 || leafIndex >= Integer.MAX_VALUE / 32) {
                finding(where + ": leaf_index " + leafIndex + " is out of range");
            } else if (present.get((int) (long) leafIndex)) {
                finding(where + ": leaf_index " + leafIndex + " appears twice");
            } else if (claimed != null && claimed.matches("[0-9a-f]{64}")) {
                int index = (int) (long) leafIndex;
                if ((long) (index + 1) * 32 > leaves.length) {
                    leaves = Arrays.copyOf(leaves, Math.max(leaves.length * 2, (index + 1) * 32));
                }
                System.arraycopy(HexFormat.of().parseHex(claimed), 0, leaves, index * 32, 32);
                present.set(index);
            }
            if (lines % PROGRESS_EVERY == 0) {
                progress.println("  ... " + lines + " lines checked");
            }
        }
        report.add("export " + exportName + ": " + lines + " events of " + keys.size() + " keys");
        report.add(chainBreaks == 0 ? "chain digests: every event's digest matches its content and its predecessor"
                : "chain digests: " + chainBreaks + " events do not match");
        if (unlogged > 0) {
            report.add(unlogged + " events have no leaf_index yet (not in the log when exported): no checkpoint covers them");
        }
        tree(checkpoint, previous, leaves, present);
        return result();
    }

    private void tree(Checkpoint checkpoint, Checkpoint previous, byte[] leaves, BitSet present) {
        long size = checkpoint.size();
        int firstMissing = present.nextClearBit(0);
        if (firstMissing < size) {
            finding("the export lacks leaf " + firstMissing + " of the checkpoint's " + size + " (it holds "
                    + present.cardinality() + " leaves): events were removed, or the export is not the whole log "
                    + "(the root is recomputed from every leaf: export an account that holds every event)");
            return;
        }
        CompactRange range = new CompactRange();
        byte[] previousRoot = previous != null && previous.size() == 0 ? MerkleHashes.empty() : null;
        for (int i = 0; i < size; i++) {
            range.append(MerkleHashes.leaf(Arrays.copyOfRange(leaves, i * 32, i * 32 + 32)));
            if (previous != null && i + 1 == previous.size()) {
                previousRoot = range.root();
            }
        }
        if (MessageDigest.isEqual(range.root(), checkpoint.rootHash())) {
            report.add("tree: the export's " + size + " leaves give the checkpoint's root");
        } else {
            finding("tree: the export's " + size + " leaves do not give the checkpoint's root: the events are not "
                    + "the ones the log signed (a row or a whole chain was rewritten)");
        }
        long newer = present.cardinality() - size;
        if (newer > 0) {
            report.add(newer + " events are newer than the checkpoint: not covered by it");
        }
        if (previous != null && previous.size() <= size) {
            if (MessageDigest.isEqual(previousRoot, previous.rootHash())) {
                report.add("previous checkpoint: its " + previous.size() + " leaves are the first of the export's: the "
                        + "log was only appended to since");
            } else {
                finding("previous checkpoint: the first " + previous.size() + " leaves of the export do not give its "
                        + "root: the log was rewritten since that checkpoint");
            }
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

    private static String text(Object value) {
        return value instanceof String s ? s : null;
    }

    private static Long integer(Object value) {
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
