package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.secret.IssuedSecret;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;

import java.security.SecureRandom;

/** Issues new secrets from a {@link SecureRandom}; injected so tests can see what was issued. */
public class SecretIssuer {

    private final SecureRandom random;

    public SecretIssuer(SecureRandom random) {
        this.random = random;
    }

    public IssuedSecret issue(KeyType type, Mode mode) {
        return SecretFormat.issue(type, mode, random);
    }
}
