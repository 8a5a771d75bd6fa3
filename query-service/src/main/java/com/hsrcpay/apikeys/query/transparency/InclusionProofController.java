package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.http.QueryParameters;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.query.audit.history.HistoryEntry;
import com.hsrcpay.apikeys.query.audit.history.KeyHistory;
import com.hsrcpay.apikeys.shared.key.KeyId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.regex.Pattern;

/** The inclusion proof of one event of a key: for whoever may read the key (a key it may not see is 404). */
@RestController
@Tag(name = "Transparency")
public class InclusionProofController {

    private static final Pattern SEQUENCE = Pattern.compile("^(0|[1-9]\\d{0,17})$");

    private final KeyHistory history;
    private final TransparencyReads reads;

    public InclusionProofController(KeyHistory history, TransparencyReads reads) {
        this.history = history;
        this.reads = reads;
    }

    @Operation(operationId = "getInclusionProof", summary = "Proof that an event of the key is in the transparency log")
    @GetMapping(path = "/v1/api-keys/{id}/history/{sequence_number}/proof", produces = MediaType.APPLICATION_JSON_VALUE)
    public Envelope.Single<TransparencyReads.InclusionProof> proof(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "0"))
            @PathVariable("sequence_number") String sequenceNumber,
            @Parameter(description = "default: the latest checkpoint's tree size",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(name = "tree_size", required = false) String treeSize) {
        caller.require(KeyPermission.READ);
        long size = QueryParameters.positiveLong("tree_size", treeSize, 0);
        KeyId keyId = KeyId.parse(id).orElseThrow(() -> ApiException.notFound("No such API key"));
        List<HistoryEntry> events = history.history(caller.accountId(), caller.mode(), keyId)
                .orElseThrow(() -> ApiException.notFound("No such API key"));
        long sequence = SEQUENCE.matcher(sequenceNumber).matches() ? Long.parseLong(sequenceNumber) : -1;
        if (events.stream().noneMatch(event -> event.sequenceNumber() == sequence)) {
            throw ApiException.notFound("No such event of this key");
        }
        return Envelope.of(reads.inclusion(keyId.toString(), sequence, size));
    }
}
