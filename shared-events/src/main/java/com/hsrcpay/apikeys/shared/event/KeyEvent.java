package com.hsrcpay.apikeys.shared.event;

import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.Actor;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;

import java.time.Instant;

/** Every event of a key's lifecycle says whose key it is, who acted, when, and under which request. */
public sealed interface KeyEvent
        permits KeyCreated, SecretRotated, SecretRetired, KeyUpdated, KeyDeactivated, KeyActivated, KeyTerminated {

    KeyId keyId();

    AccountId accountId();

    Mode mode();

    Actor actor();

    Instant occurredAt();

    String requestId();
}
