package com.hsrcpay.apikeys.verification;

/** A verification's outcome and, when the key exists, the key. */
public record Verification(VerificationCode code, KeyRecord key) {

    public boolean valid() {
        return code == VerificationCode.VALID;
    }
}
