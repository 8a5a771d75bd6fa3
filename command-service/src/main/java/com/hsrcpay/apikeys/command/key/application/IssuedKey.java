package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeySnapshot;

/**
 * A key as a create or regenerate left it, with the plaintext secret to hand out once.
 * {@code plaintext} is null when an idempotent retry replays an earlier create: the secret is not stored anywhere.
 */
public record IssuedKey(KeySnapshot key, String plaintext, boolean replayed) {

    @Override
    public String toString() {
        return "IssuedKey[" + key.keyId() + ", replayed=" + replayed + "]";
    }
}
