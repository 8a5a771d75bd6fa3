package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.RateLimitFields;
import com.hsrcpay.apikeys.edge.security.SecretKeyAuthenticator;
import com.hsrcpay.apikeys.edge.security.UsageLimitExceeded;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.verification.usage.UsageControl;
import com.hsrcpay.apikeys.verification.usage.UsageRequest;
import com.hsrcpay.apikeys.verification.usage.UsageVerdict;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Secret keys as credentials: a VALID key acts for its own account, in its own mode, with its own permissions. */
public class SecretKeyCallers implements SecretKeyAuthenticator {

    private final KeyVerifier verifier;
    private final KeyUsage usage;
    private final UsageControl usageControl;
    private final Clock clock;

    /** Without usage control: a key's limits and credits are not applied to its use as a credential. */
    public SecretKeyCallers(KeyVerifier verifier, KeyUsage usage) {
        this(verifier, usage, null, Clock.systemUTC());
    }

    /**
     * With usage control (may be null): every request a secret key authenticates costs it 1 credit and 1 of each
     * of its limits, in whichever service; a refusal is {@link UsageLimitExceeded} (429) and consumes nothing.
     */
    public SecretKeyCallers(KeyVerifier verifier, KeyUsage usage, UsageControl usageControl, Clock clock) {
        this.verifier = verifier;
        this.usage = usage;
        this.usageControl = usageControl;
        this.clock = clock;
    }

    @Override
    public Optional<Authenticated> authenticate(SecretFormat.PresentedKey presented, String clientAddress) {
        Verification verification = verifier.verifyHash(presented.sha256(), null);
        if (!verification.valid() || verification.key().type() != KeyType.SECRET) {
            return Optional.empty();
        }
        KeyRecord key = verification.key();
        RateLimitFields fields = RateLimitFields.NONE;
        if (usageControl != null && key.usageControlled()) {
            Instant nextRefill = key.credits() == null || key.credits().refill() == null ? null
                    : key.credits().refill().nextAfter(clock.instant());
            UsageVerdict verdict = usageControl.check(UsageRequest.byDefault(key.keyId(), key.ratelimits(),
                    key.credits() != null, nextRefill));
            if (!verdict.admitted()) {
                throw new UsageLimitExceeded(verdict.refusal().reason(), verdict.retryAfterSeconds(),
                        verdict.rateLimitPolicyHeader(key.ratelimits()), verdict.rateLimitHeader());
            }
            fields = new RateLimitFields(verdict.rateLimitPolicyHeader(key.ratelimits()), verdict.rateLimitHeader());
        }
        usage.used(key.keyId(), clientAddress);
        return Optional.of(new Authenticated(new Caller(Caller.Credential.SECRET_KEY, new Actor(Actor.Type.API_KEY,
                key.keyId().toString()), new AccountId(key.accountId()), key.mode(), key.permissions()), fields));
    }
}
