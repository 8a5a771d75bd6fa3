package com.hsrcpay.apikeys.query.transparency;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.http.QueryParameters;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The public face of the transparency log, like a CT log's: the newest signed checkpoint, the key that verifies it,
 * and consistency proofs between tree sizes. No credential: what they show is hashes and signatures.
 */
@RestController
@Tag(name = "Transparency")
public class TransparencyController {

    static final String TEXT = MediaType.TEXT_PLAIN_VALUE;

    private final TransparencyReads reads;

    public TransparencyController(TransparencyReads reads) {
        this.reads = reads;
    }

    @Operation(operationId = "getCheckpoint", summary = "The newest signed checkpoint of the transparency log")
    @SecurityRequirements
    @ApiResponse(responseCode = "200", description = "A C2SP signed note: origin line, tree size, base64 root hash, a "
            + "blank line and the Ed25519 signature line", content = @Content(mediaType = TEXT,
            schema = @Schema(type = "string")))
    @GetMapping(path = "/v1/transparency/checkpoint", produces = TEXT)
    public String checkpoint() {
        return reads.latestCheckpoint();
    }

    @Operation(operationId = "getCheckpointPublicKey", summary = "The note verifier key of the checkpoints")
    @SecurityRequirements
    @ApiResponse(responseCode = "200", description = "`<name>+<8 hex key id>+<base64(0x01 || Ed25519 public key)>` "
            + "and a newline", content = @Content(mediaType = TEXT, schema = @Schema(type = "string")))
    @GetMapping(path = "/v1/transparency/public-key", produces = TEXT)
    public String publicKey() {
        return reads.verifierKey() + "\n";
    }

    @Operation(operationId = "getConsistencyProof", summary = "Proof that a larger tree extends a smaller one")
    @SecurityRequirements
    @GetMapping(path = "/v1/transparency/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
    public Envelope.Single<TransparencyReads.ConsistencyProof> consistency(
            @Parameter(required = true, description = "the smaller tree size, at least 1",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(name = "first", required = false) String first,
            @Parameter(required = true, description = "the larger tree size, at most the latest checkpoint's",
                    schema = @Schema(type = "integer", format = "int64", minimum = "1"))
            @RequestParam(name = "second", required = false) String second) {
        long from = QueryParameters.requiredPositiveLong("first", first);
        long to = QueryParameters.requiredPositiveLong("second", second);
        return Envelope.of(reads.consistency(from, to));
    }
}
