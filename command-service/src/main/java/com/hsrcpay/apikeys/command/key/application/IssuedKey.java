package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.shared.event.KeyState;

/**
 * A key as a create or regenerate left it, with the plaintext secret to hand out once.
 * {@code plaintext} is null when an idempotent retry replays an earlier create: the secret is not stored anywhere.
 */
public record IssuedKey(KeyState key, String plaintext, boolean replayed) {

    @Override
    public String toString() {
        return "IssuedKey[" + key.keyId() + ", replayed=" + replayed + "]";
    }
}
