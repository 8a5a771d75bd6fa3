package com.hsrcpay.apikeys.verification;

import com.hsrcpay.apikeys.shared.key.Mode;

/** Whose a key is: to any other account (or the other mode) it does not exist. */
public record KeyOwner(String accountId, Mode mode) {

    public boolean is(String otherAccountId, Mode otherMode) {
        return accountId.equals(otherAccountId) && mode == otherMode;
    }
}
