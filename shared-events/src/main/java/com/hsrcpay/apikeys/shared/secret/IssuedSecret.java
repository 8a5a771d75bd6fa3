package com.hsrcpay.apikeys.shared.secret;

import com.hsrcpay.apikeys.shared.key.SecretFingerprint;

/** A freshly issued secret: the plaintext lives only until it is written into the one response that issues it. */
public record IssuedSecret(String plaintext, SecretFingerprint fingerprint) {

    @Override
    public String toString() {
        return "IssuedSecret[" + fingerprint.hint() + "]"; // never the plaintext, not even in a log line
    }
}
