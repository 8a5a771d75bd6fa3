package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.SecretKeyAuthenticator;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;

import java.util.Optional;

/** Secret keys as credentials: a VALID key acts for its own account, in its own mode, with its own permissions. */
public class SecretKeyCallers implements SecretKeyAuthenticator {

    private final KeyVerifier verifier;
    private final KeyUsage usage;

    public SecretKeyCallers(KeyVerifier verifier, KeyUsage usage) {
        this.verifier = verifier;
        this.usage = usage;
    }

    @Override
    public Optional<Caller> authenticate(SecretFormat.PresentedKey presented, String clientAddress) {
        Verification verification = verifier.verifyHash(presented.sha256(), null);
        if (!verification.valid() || verification.key().type() != KeyType.SECRET) {
            return Optional.empty();
        }
        KeyRecord key = verification.key();
        usage.used(key.keyId(), clientAddress);
        return Optional.of(new Caller(Caller.Credential.SECRET_KEY, new Actor(Actor.Type.API_KEY, key.keyId().toString()),
                new AccountId(key.accountId()), key.mode(), key.permissions()));
    }
}
