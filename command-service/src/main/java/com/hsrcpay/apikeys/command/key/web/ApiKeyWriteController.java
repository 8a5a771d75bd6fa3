package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.command.key.application.IssuedKey;
import com.hsrcpay.apikeys.command.key.application.KeyWrites;
import com.hsrcpay.apikeys.command.key.application.NewKey;
import com.hsrcpay.apikeys.edge.envelope.ApiKeyObject;
import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.http.RequestIds;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.KeyType;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.regex.Pattern;

/** The write endpoints of {@code /v1/api-keys}; an unacceptable Accept is refused before anything is written. */
@RestController
@Tag(name = "API keys")
@RequestMapping(path = "/v1/api-keys", produces = MediaType.APPLICATION_JSON_VALUE)
public class ApiKeyWriteController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("^[\\x21-\\x7E]{1,255}$");
    private static final Pattern VERSION_TAG = Pattern.compile("^(W/)?\"?(\\d{1,18})\"?$");

    private final KeyWrites writes;
    private final PatchRequests patchRequests;

    public ApiKeyWriteController(KeyWrites writes, ObjectMapper objectMapper) {
        this.writes = writes;
        this.patchRequests = new PatchRequests(objectMapper);
    }

    @io.swagger.v3.oas.annotations.responses.ApiResponse(responseCode = "201",
            description = "The key, with its plaintext `key` this once (an idempotent replay: masked, with "
                    + "`Idempotent-Replayed: true`)",
            useReturnTypeSchema = true)
    @Operation(operationId = "createKey", summary = "Issue a key")
    @PostMapping(path = {"", "/"}, consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Envelope.Single<ApiKeyObject>> create(
            @AuthenticationPrincipal Caller caller,
            @RequestParam("account_id") String accountId,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestBody CreateKeyRequest body,
            HttpServletRequest request) {
        caller.require(KeyPermission.CREATE).requireAccount(accountId);
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.badRequest("Idempotency-Key", "invalid_value",
                    "Idempotency-Key must be 1 to 255 visible ASCII characters");
        }
        ApplicationId applicationId = null;
        if (body.applicationId() != null) {
            applicationId = ApplicationId.parse(body.applicationId()).orElseThrow(() -> ApiException.badRequest(
                    "application_id", "invalid_uuid", "application_id must be a UUID"));
        }
        NewKey newKey = new NewKey(body.name(), keyType(body.type()), body.permissions(), body.metadata(),
                body.expiresAt(), Boolean.TRUE.equals(body.managed()), applicationId,
                patchRequests.ratelimits(body.ratelimits()), patchRequests.credits(body.credits()));
        IssuedKey issued = writes.create(caller, newKey, idempotencyKey, RequestIds.current(request));
        return KeyResponses.issued(HttpStatus.CREATED, issued);
    }

    @Operation(operationId = "updateKey", summary = "Change a key's name, permissions, expiry, status or metadata")
    @PatchMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Envelope.Single<ApiKeyObject>> patch(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @RequestHeader(name = "If-Match", required = false) String ifMatch,
            @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
                    schema = @Schema(implementation = KeyPatch.class))) @RequestBody JsonNode body,
            HttpServletRequest request) {
        caller.require(KeyPermission.UPDATE);
        KeyId keyId = keyId(id);
        Long expectedVersion = expectedVersion(ifMatch);
        return KeyResponses.of(HttpStatus.OK,
                writes.patch(patchRequests.toCommand(body, keyId, expectedVersion, caller, RequestIds.current(request))));
    }

    @Operation(operationId = "regenerateKey", summary = "Rotate the secret of a managed key")
    @PostMapping(path = "/{id}/regenerate", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Envelope.Single<ApiKeyObject>> regenerate(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @RequestBody(required = false) RegenerateKeyRequest body,
            HttpServletRequest request) {
        caller.require(KeyPermission.UPDATE);
        KeyId keyId = keyId(id);
        long grace = body == null || body.gracePeriodSeconds() == null ? 0 : body.gracePeriodSeconds();
        return KeyResponses.issued(HttpStatus.OK, writes.regenerate(caller, keyId, grace, RequestIds.current(request)));
    }

    @Operation(operationId = "adjustCredits", summary = "Set, increase or decrease a key's remaining credits")
    @PostMapping(path = "/{id}/credits", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Envelope.Single<ApiKeyObject>> adjustCredits(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @RequestBody CreditsAdjustmentRequest body,
            HttpServletRequest request) {
        caller.require(KeyPermission.UPDATE);
        KeyId keyId = keyId(id);
        return KeyResponses.of(HttpStatus.OK, writes.adjustCredits(caller, keyId, body.parsedOperation(), body.amount(),
                RequestIds.current(request)));
    }

    @Operation(operationId = "deleteKey", summary = "Soft-delete a key: its secret stops at once")
    @DeleteMapping("/{id}")
    public ResponseEntity<Envelope.Single<ApiKeyObject>> delete(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            HttpServletRequest request) {
        caller.require(KeyPermission.DELETE);
        return KeyResponses.of(HttpStatus.OK, writes.softDelete(caller, keyId(id), RequestIds.current(request)));
    }

    private static KeyType keyType(String type) {
        if (type == null) {
            return null;
        }
        for (KeyType known : KeyType.values()) {
            if (known.name().equals(type)) {
                return known;
            }
        }
        throw ApiException.badRequest("type", "invalid_type", "type must be SECRET or PUBLISHABLE");
    }

    static KeyId keyId(String id) {
        return KeyId.parse(id).orElseThrow(() -> ApiException.notFound("No such API key"));
    }

    private static Long expectedVersion(String ifMatch) {
        if (ifMatch == null || ifMatch.trim().equals("*")) {
            return null;
        }
        var matcher = VERSION_TAG.matcher(ifMatch.trim());
        if (!matcher.matches()) {
            throw ApiException.badRequest("If-Match", "invalid_value", "If-Match must be the key's version, e.g. \"3\"");
        }
        return Long.parseLong(matcher.group(2));
    }
}
