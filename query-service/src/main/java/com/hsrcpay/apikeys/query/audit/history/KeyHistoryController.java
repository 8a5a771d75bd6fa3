package com.hsrcpay.apikeys.query.audit.history;

import com.hsrcpay.apikeys.edge.http.QueryParameters;
import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.query.eventstore.EventStoreTables;
import com.hsrcpay.apikeys.shared.key.KeyId;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** A key's history from the event store and the check of its hash chain. */
@RestController
@RequestMapping("/v1/api-keys/{id}/history")
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

    @GetMapping({"", "/"})
    public Envelope.Page<HistoryEntry> history(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @RequestParam(name = "page", required = false) String page,
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
