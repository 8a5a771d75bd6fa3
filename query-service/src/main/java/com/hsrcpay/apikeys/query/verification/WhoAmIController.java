package com.hsrcpay.apikeys.query.verification;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.security.Caller;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /v1/whoami}: which account and mode a credential acts for. Lets a client check a key or token,
 * and is the trivial endpoint the verification benchmark compares {@code POST /v1/keys/verify} against.
 */
@RestController
public class WhoAmIController {

    @GetMapping(path = "/v1/whoami", produces = "application/json")
    public Envelope.Single<Identity> whoAmI(@AuthenticationPrincipal Caller caller) {
        return Envelope.of(new Identity(caller.credential().name().toLowerCase(java.util.Locale.ROOT),
                caller.actor().id(), caller.accountId().value(), caller.mode().wireName()));
    }

    public record Identity(String credential, String actor, String accountId, String mode) {
    }
}
