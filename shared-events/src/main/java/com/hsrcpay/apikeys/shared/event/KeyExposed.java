package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;
import org.axonframework.serialization.Revision;

import java.time.Instant;
import java.util.List;

/**
 * The key's secret was found in public ({@code source}: {@value #GITHUB} secret scanning, or a
 * {@value #PUBLIC_REPORT} through {@code POST /v1/keys/report-exposure}; {@code url}: where, when known): the key is
 * revoked at once, for good (status REVOKED, not deleted). {@code occurredAt} is when the report arrived. Names every
 * secret hash of the key that no longer works (cumulative), the current one last. Never the exposed secret itself.
 */
@Revision("1")
public record KeyExposed(
        KeyId keyId,
        AccountId accountId,
        Mode mode,
        ApplicationId applicationId,
        List<String> revokedSecretSha256s,
        String source,
        String url,
        Actor actor,
        Instant occurredAt,
        String requestId) implements KeyTerminated {

    /** Reported by GitHub's secret scanning partner program. */
    public static final String GITHUB = "github";
    /** Reported by anyone holding the secret, through the public report endpoint. */
    public static final String PUBLIC_REPORT = "public_report";

    @Override
    public <R> R accept(Visitor<R> visitor) {
        return visitor.exposed(this);
    }
}
