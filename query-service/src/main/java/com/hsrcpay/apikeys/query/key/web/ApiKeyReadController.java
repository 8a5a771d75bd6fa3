package com.hsrcpay.apikeys.query.key.web;

import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.http.QueryParameters;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.query.audit.history.KeyHistory;
import com.hsrcpay.apikeys.query.key.application.KeyReads;
import com.hsrcpay.apikeys.query.key.application.ReadYourWrites;
import com.hsrcpay.apikeys.shared.key.KeyId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The read endpoints of {@code /v1/api-keys}. */
@RestController
@Tag(name = "API keys")
@RequestMapping(path = "/v1/api-keys", produces = MediaType.APPLICATION_JSON_VALUE)
public class ApiKeyReadController {

    static final String CONSISTENCY_TOKEN = "X-Consistency-Token";
    static final String READ_CONSISTENCY = "X-Read-Consistency";
    private static final int MAX_LIMIT = 100;
    private static final Pattern TOKEN = Pattern.compile("^([0-9a-fA-F-]{36}):(\\d{1,18})$");

    private final KeyReads reads;
    private final ReadYourWrites readYourWrites;
    private final KeyHistory history;

    public ApiKeyReadController(KeyReads reads, ReadYourWrites readYourWrites, KeyHistory history) {
        this.reads = reads;
        this.readYourWrites = readYourWrites;
        this.history = history;
    }

    @Operation(operationId = "listKeys", summary = "The account's keys in the credential's mode, newest first")
    @GetMapping({"", "/"})
    public ResponseEntity<Envelope.Page<ApiKeyObject>> list(
            @AuthenticationPrincipal Caller caller,
            @RequestParam("account_id") String accountId,
            // read as text so that a bad value is a 400 naming the parameter; documented as what they are
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", defaultValue = "1"))
            @RequestParam(name = "page", required = false) String page,
            @Parameter(schema = @Schema(type = "integer", format = "int32", minimum = "1", maximum = "100",
                    defaultValue = "10"))
            @RequestParam(name = "limit", required = false) String limit,
            @Parameter(schema = @Schema(type = "boolean"), description = "only managed (true) or custom (false) keys")
            @RequestParam(name = "managed", required = false) String managed,
            @RequestHeader(name = CONSISTENCY_TOKEN, required = false) String consistencyToken) {
        caller.require(KeyPermission.READ).requireAccount(accountId);
        int pageNumber = QueryParameters.positive("page", page, 1);
        int pageSize = QueryParameters.positive("limit", limit, 10);
        if (pageSize > MAX_LIMIT) {
            throw ApiException.badRequest("limit", "too_large", "limit may be at most " + MAX_LIMIT);
        }
        Boolean managedFilter = managed(managed);
        String consistency = awaitToken(consistencyToken);
        KeyReads.KeyPage result = reads.list(caller.accountId(), caller.mode(), managedFilter, pageNumber, pageSize);
        ResponseEntity.BodyBuilder response = ResponseEntity.ok();
        if (consistency != null) {
            response.header(READ_CONSISTENCY, consistency);
        }
        return response.body(Envelope.page(result.keys(), result.total(), pageNumber, pageSize));
    }

    @Operation(operationId = "getKey", summary = "One key (deleted keys too), now or as it was at an instant")
    @GetMapping("/{id}")
    public ResponseEntity<Envelope.Single<ApiKeyObject>> get(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @Parameter(schema = @Schema(type = "string", format = "date-time"),
                    description = "the key as it was at this instant (ISO-8601 with an offset)")
            @RequestParam(name = "as_of", required = false) String asOf,
            @RequestHeader(name = CONSISTENCY_TOKEN, required = false) String consistencyToken) {
        caller.require(KeyPermission.READ);
        Instant instant = asOf == null ? null : QueryParameters.instant("as_of", asOf);
        KeyId keyId = KeyId.parse(id).orElseThrow(() -> ApiException.notFound("No such API key"));
        if (instant != null) {
            // the key as it was then, rebuilt from its events in the event store
            ApiKeyObject then = history.asOf(caller.accountId(), caller.mode(), keyId, instant)
                    .orElseThrow(() -> ApiException.notFound("No such API key at " + instant));
            return ResponseEntity.ok().body(Envelope.of(then));
        }
        String consistency = awaitToken(consistencyToken);
        ApiKeyObject key = reads.get(caller.accountId(), caller.mode(), keyId.value())
                .orElseThrow(() -> ApiException.notFound("No such API key"));
        ResponseEntity.BodyBuilder response = ResponseEntity.ok().eTag("\"" + key.version() + "\"");
        if (consistency != null) {
            response.header(READ_CONSISTENCY, consistency);
        }
        return response.body(Envelope.of(key));
    }

    /** Waits (bounded) for the projection to pass a write's token: "fresh" when it did, "stale" when time ran out. */
    private String awaitToken(String token) {
        if (token == null) {
            return null;
        }
        Matcher matcher = TOKEN.matcher(token.trim());
        if (!matcher.matches()) {
            throw ApiException.badRequest(CONSISTENCY_TOKEN, "invalid_value",
                    "X-Consistency-Token must be a token returned by a write");
        }
        UUID keyId = KeyId.parse(matcher.group(1)).orElseThrow(() -> ApiException.badRequest(CONSISTENCY_TOKEN,
                "invalid_value", "X-Consistency-Token must be a token returned by a write")).value();
        return readYourWrites.awaitVersion(keyId, Long.parseLong(matcher.group(2))) ? "fresh" : "stale";
    }

    private static Boolean managed(String value) {
        if (value == null) {
            return null;
        }
        return switch (value) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            default -> throw ApiException.badRequest("managed", "invalid_value", "managed must be true or false");
        };
    }
}
