package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.ApplicationId;

import java.util.List;

/** The events after which no secret of the key works any more: each becomes a revocation record. */
public sealed interface KeyTerminated extends KeyEvent permits KeyRevoked, KeyDeleted, KeyExpired, KeyExposed {

    ApplicationId applicationId();

    List<String> revokedSecretSha256s();
}
