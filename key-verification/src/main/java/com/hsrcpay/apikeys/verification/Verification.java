package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.shared.key.Mode;

/**
 * A verification's outcome; {@code key} when the secret belongs to a key of the read model, {@code owner} whenever
 * it is known whose the secret is (a live key's, or a dead secret's from the revocation list).
 */
public record Verification(VerificationCode code, KeyRecord key, KeyOwner owner) {

    static final Verification NOT_FOUND = new Verification(VerificationCode.NOT_FOUND, null, null);

    static Verification of(VerificationCode code, KeyRecord key) {
        return new Verification(code, key, key.owner());
    }

    public boolean valid() {
        return code == VerificationCode.VALID;
    }

    /** Whether a caller acting for {@code accountId} in {@code mode} may learn anything about this secret. */
    public boolean visibleTo(String accountId, Mode mode) {
        return owner != null && owner.is(accountId, mode);
    }
}
