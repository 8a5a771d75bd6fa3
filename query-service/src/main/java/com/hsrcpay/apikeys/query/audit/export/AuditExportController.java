package com.hsrcpay.apikeys.query.audit.export;

import com.hsrcpay.apikeys.edge.http.QueryParameters;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.query.eventstore.EventStoreTables;
import com.hsrcpay.apikeys.query.transparency.Checkpoints;
import com.hsrcpay.apikeys.query.transparency.TransparencyReads;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.extensions.Extension;
import io.swagger.v3.oas.annotations.extensions.ExtensionProperty;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /v1/audit/events}: the caller's account's key events of a window as NDJSON, for offline audit. Written
 * to the servlet output stream as the rows are read (no async timeout, no buffering of the whole export).
 */
@RestController
@Tag(name = "Audit")
public class AuditExportController {

    static final String NDJSON = "application/x-ndjson";
    private static final Logger log = LoggerFactory.getLogger(AuditExportController.class);

    private final AuditExport export;
    private final EventStoreTables tables;
    private final TransparencyReads transparency;

    public AuditExportController(AuditExport export, EventStoreTables tables, TransparencyReads transparency) {
        this.export = export;
        this.tables = tables;
        this.transparency = transparency;
    }

    @Operation(operationId = "exportAuditEvents", summary = "Every event of the account's keys in a window, as NDJSON")
    // the body is lines, not one JSON document: a stream to a client (binary: generated clients download it rather
    // than parse it as JSON), each line an AuditEventLine (x-ndjson-line)
    @ApiResponse(responseCode = "200", description = "One JSON object per line: first an `AuditExportHeader` (the "
            + "signed checkpoint every line's `inclusion_proof` leads to), then one `AuditEventLine` per event, in "
            + "global order (none when the window holds no event)", content = @Content(mediaType = NDJSON, schema = @Schema(
            type = "string", format = "binary", extensions = @Extension(properties = @ExtensionProperty(name = "ndjson-line",
            value = "{\"$ref\": \"#/components/schemas/AuditEventLine\"}", parseValue = true)))))
    @GetMapping("/v1/audit/events")
    public void events(@AuthenticationPrincipal Caller caller,
                       @RequestParam("account_id") String accountId,
                       @Parameter(schema = @Schema(type = "string", format = "date-time"), description = "inclusive")
                       @RequestParam("from") String from,
                       @Parameter(schema = @Schema(type = "string", format = "date-time"), description = "exclusive")
                       @RequestParam("to") String to,
                       @Parameter(schema = @Schema(type = "integer", format = "int64", minimum = "1"),
                               description = "the size of a signed checkpoint to prove the lines against; default "
                                       + "the newest")
                       @RequestParam(name = "tree_size", required = false) String treeSize,
                       HttpServletResponse response) throws IOException {
        caller.require(KeyPermission.READ).requireAccount(accountId);
        tables.require("The audit export");
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("from", "invalid_window", "from must be before to");
        }
        Optional<Checkpoints.Signed> checkpoint = transparency.exportCheckpoint(
                QueryParameters.positiveLong("tree_size", treeSize, 0));
        response.setStatus(200);
        response.setContentType(NDJSON);
        response.setCharacterEncoding("UTF-8");
        response.setHeader("Cache-Control", "no-store");
        OutputStream out = response.getOutputStream();
        try {
            long lines = export.export(caller.accountId(), caller.mode(), start, end, checkpoint, out);
            log.info("audit export account={} mode={} from={} to={}: {} events", caller.accountId().value(),
                    caller.mode().wireName(), start, end, lines);
        } catch (SQLException e) {
            // the status is sent already: the error handler appends its envelope as the stream's last line (not an
            // event: "success": false), which the audit verifier reports as an incomplete export
            log.error("audit export account={} failed mid-stream", caller.accountId().value(), e);
            throw new IOException("audit export failed", e);
        }
    }

    /** One line of the export as the document describes it ({@link AuditExport} writes it field by field). */
    @Schema(name = "AuditEventLine", requiredProperties = {"global_index", "key_id", "sequence_number", "type",
            "occurred_at", "payload", "chain_digest", "leaf_index"})
    record ExportLine(long globalIndex, @Schema(format = "uuid") String keyId, long sequenceNumber, String type,
                      Instant occurredAt, @Schema(description = "the event as stored") Map<String, Object> payload,
                      @Schema(nullable = true) String chainDigest,
                      @Schema(nullable = true, description = "the event's leaf in the transparency log; null while "
                              + "the log's writer has not reached it") Long leafIndex,
                      @Schema(nullable = true, description = "the leaf's RFC 9162 audit path in the tree of the "
                              + "header's checkpoint; null when the event is not in that tree") LineProof inclusionProof) {
    }

    @Schema(name = "AuditEventLineProof", requiredProperties = {"tree_size", "hashes"})
    record LineProof(long treeSize, @Schema(description = "standard base64") List<String> hashes) {
    }

    /** The export's first line: what it is, and the checkpoint its proofs lead to. */
    @Schema(name = "AuditExportHeader", requiredProperties = {"account_id", "mode", "from", "to", "checkpoint"})
    record ExportHeader(String accountId, String mode, Instant from, Instant to,
                        @Schema(nullable = true, description = "the signed note (C2SP checkpoint) of the tree the "
                                + "lines' proofs are against; null only before the log's first checkpoint")
                        String checkpoint) {
    }
}
