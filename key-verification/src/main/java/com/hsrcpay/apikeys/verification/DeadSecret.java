package com.hsrcpay.apikeys.verification;

/** A secret on the revocation list: why it stopped ({@code expired}, {@code deleted}, …) and whose it was. */
public record DeadSecret(String reason, KeyOwner owner) {

    public VerificationCode code() {
        return "expired".equals(reason) ? VerificationCode.EXPIRED : VerificationCode.REVOKED;
    }
}
