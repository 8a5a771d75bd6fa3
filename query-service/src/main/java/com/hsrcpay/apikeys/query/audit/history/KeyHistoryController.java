package com.hsrcpay.apikeys.query.audit.history;

import com.hsrcpay.apikeys.edge.http.QueryParameters;
import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.query.eventstore.EventStoreTables;
import com.hsrcpay.apikeys.shared.key.KeyId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** A key's history from the event store and the check of its hash chain. */
@RestController
@Tag(name = "Audit")
@RequestMapping(path = "/v1/api-keys/{id}/history", produces = MediaType.APPLICATION_JSON_VALUE)
public class KeyHistoryController {

    private static final int MAX_LIMIT = 100;

    private final KeyHistory history;
    private final ChainVerifier verifier;
    private final EventStoreTables tables;

    public KeyHistoryController(KeyHistory history, ChainVerifier verifier, EventStoreTables tables) {
        this.history = history;
        this.verifier = verifier;
        this.tables = tables;
    }

    @Operation(operationId = "getKeyHistory", summary = "Every event of a key, in order")
    @GetMapping({"", "/"})
    public Envelope.Page<HistoryEntry> history(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", defaultValue = "1"))
            @RequestParam(name = "page", required = false) String page,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100",
                    defaultValue = "10"))
            @RequestParam(name = "limit", required = false) String limit) {
        caller.require(KeyPermission.READ);
        int pageNumber = QueryParameters.positive("page", page, 1);
        int pageSize = QueryParameters.positive("limit", limit, 10);
        if (pageSize > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "too_large", "limit may be at most " + MAX_LIMIT);
        }
        KeyId keyId = KeyId.parse(id).orElseThrow(KeyHistoryController::notFound);
        List<HistoryEntry> all = history.history(caller.accountId(), caller.mode(), keyId)
                .orElseThrow(KeyHistoryController::notFound);
        long from = (long) (pageNumber - 1) * pageSize;
        List<HistoryEntry> slice = from >= all.size() ? List.of()
                : all.subList((int) from, (int) Math.min(all.size(), from + pageSize));
        return Envelope.page(slice, all.size(), pageNumber, pageSize);
    }

    @Operation(operationId = "verifyKeyHistory", summary = "Recompute the key's hash chain from the stored events")
    @GetMapping("/verify")
    public Envelope.Single<ChainVerdict> verify(@AuthenticationPrincipal Caller caller, @PathVariable("id") String id) {
        caller.require(KeyPermission.READ);
        tables.require("The hash chain check");
        KeyId keyId = KeyId.parse(id).orElseThrow(KeyHistoryController::notFound);
        return Envelope.of(verifier.verify(caller.accountId(), caller.mode(), keyId)
                .orElseThrow(KeyHistoryController::notFound));
    }

    private static ApiException notFound() {
        return ApiException.notFound("No such API key");
    }

}
