package com.hsrcpay.apikeys.shared.key;

import java.util.Objects;

/**
 * All the platform keeps of a secret: its SHA-256 (hex) and a display hint (prefix + last 4).
 * The plaintext itself never enters a command, an event, a message or a table.
 */
public record SecretFingerprint(String sha256, String hint) {

    public SecretFingerprint {
        Objects.requireNonNull(sha256, "sha256");
        Objects.requireNonNull(hint, "hint");
    }

    @Override
    public String toString() {
        return "SecretFingerprint[" + hint + "]";
    }
}
