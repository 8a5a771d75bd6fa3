package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.error.Unavailable;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Base64;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the transparency endpoints answer, read on the request pool: the newest checkpoint, the verifier key, and
 * proofs against a tree size no larger than the newest checkpoint's (a size beyond it has no signed root to check a
 * proof against: 400).
 */
public class TransparencyReads {

    private final TransparencyLog log;
    private final Checkpoints checkpoints;

    public TransparencyReads(TransparencyLog log, Checkpoints checkpoints) {
        this.log = log;
        this.checkpoints = checkpoints;
    }

    @Schema(name = "InclusionProof", requiredProperties = {"leaf_index", "tree_size", "hashes"},
            description = "RFC 9162 section 2.1.3 audit path of the event's leaf in the tree of `tree_size` leaves; the "
                    + "leaf hash is SHA-256(0x00 || the 32 bytes of the event's chain digest)")
    public record InclusionProof(long leafIndex, long treeSize,
                                 @ArraySchema(schema = @Schema(format = "byte", description = "standard base64"))
                                 List<String> hashes) {
    }

    @Schema(name = "ConsistencyProof", requiredProperties = {"first", "second", "hashes"},
            description = "RFC 9162 section 2.1.4 consistency proof: the tree of `second` leaves extends the one of "
                    + "`first`")
    public record ConsistencyProof(long first, long second,
                                   @ArraySchema(schema = @Schema(format = "byte", description = "standard base64"))
                                   List<String> hashes) {
    }

    public String latestCheckpoint() {
        return checkpoints.latest().orElseThrow(TransparencyReads::noCheckpointYet).note();
    }

    public String verifierKey() {
        return checkpoints.verifierKey();
    }

    /** The proof of the event at {@code sequenceNumber} of {@code keyId}, known to exist; treeSize 0: the newest. */
    public InclusionProof inclusion(String keyId, long sequenceNumber, long treeSize) {
        long newest = newestSize();
        long size = treeSize == 0 ? newest : treeSize;
        if (size > newest) {
            throw ApiException.badRequest("tree_size", "beyond_latest_checkpoint",
                    "tree_size " + size + " is beyond the latest checkpoint's " + newest);
        }
        long leaf = log.leafIndex(keyId, sequenceNumber).orElse(Long.MAX_VALUE);
        if (leaf >= size) {
            throw ApiException.badRequest("tree_size", "event_not_in_tree", "The tree of " + size
                    + " leaves does not contain this event" + (leaf == Long.MAX_VALUE ? " (not logged yet)"
                    : " (its leaf index is " + leaf + ")"));
        }
        return new InclusionProof(leaf, size, base64(log.inclusionProof(leaf, size)));
    }

    /**
     * The checkpoint an audit export proves its lines against: the one signed at {@code treeSize} (400 when none
     * was), or for 0 the newest (none only in a log's first moments: the export then carries no proofs).
     */
    public Optional<Checkpoints.Signed> exportCheckpoint(long treeSize) {
        if (treeSize == 0) {
            return checkpoints.latest();
        }
        return Optional.of(checkpoints.at(treeSize).orElseThrow(() -> ApiException.badRequest("tree_size",
                "unknown_checkpoint", "No checkpoint was signed at tree size " + treeSize
                        + ": take a size from GET /v1/transparency/checkpoint or the api-key-checkpoints topic")));
    }

    /** The proofs of an export's batch of leaves, read on the export's own connection. */
    public Map<Long, List<String>> inclusionProofs(Connection connection, Collection<Long> leaves, long treeSize)
            throws SQLException {
        Map<Long, List<String>> proofs = new HashMap<>();
        log.inclusionProofs(connection, leaves, treeSize).forEach((leaf, hashes) -> proofs.put(leaf, base64(hashes)));
        return proofs;
    }

    public ConsistencyProof consistency(long first, long second) {
        long newest = newestSize();
        if (second > newest) {
            throw ApiException.badRequest("second", "beyond_latest_checkpoint",
                    "second " + second + " is beyond the latest checkpoint's tree size " + newest);
        }
        if (first > second) {
            throw ApiException.badRequest("first", "first_after_second", "first must be at most second");
        }
        return new ConsistencyProof(first, second, base64(log.consistencyProof(first, second)));
    }

    private long newestSize() {
        return checkpoints.latest().orElseThrow(TransparencyReads::noCheckpointYet).treeSize();
    }

    private static ApiException noCheckpointYet() {
        // only in the first moments of a new log, before the first round of the checkpoint schedule
        return new ApiException(Unavailable.error());
    }

    private static List<String> base64(List<byte[]> hashes) {
        return hashes.stream().map(Base64.getEncoder()::encodeToString).toList();
    }
}
