package com.hsrcpay.apikeys.query.verification;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code GET /v1/whoami}: which account and mode a credential acts for, with which permissions. Lets a client check a
 * key or token, and is the trivial endpoint the verification benchmark compares {@code POST /v1/keys/verify} against.
 */
@RestController
@Tag(name = "Verification")
public class WhoAmIController {

    @Operation(operationId = "whoAmI", summary = "The account, mode, credential kind and permissions of the caller")
    @GetMapping(path = "/v1/whoami", produces = MediaType.APPLICATION_JSON_VALUE)
    public Envelope.Single<Identity> whoAmI(@AuthenticationPrincipal Caller caller) {
        return Envelope.of(new Identity(caller.credential().name().toLowerCase(Locale.ROOT),
                caller.actor().id(), caller.accountId().value(), caller.mode().wireName(),
                caller.permissions().grants()));
    }

    @Schema(requiredProperties = {"credential", "actor", "account_id", "mode", "permissions"})
    public record Identity(@Schema(allowableValues = {"jwt", "secret_key", "publishable_key"}) String credential,
                           @Schema(description = "the JWT's sub, or the key's id") String actor,
                           String accountId,
                           @Schema(allowableValues = {"live", "test"}) String mode,
                           Map<String, List<String>> permissions) {
    }
}
