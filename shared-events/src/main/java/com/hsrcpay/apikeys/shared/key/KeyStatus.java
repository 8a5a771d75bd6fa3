package com.hsrcpay.apikeys.shared.key;

public enum KeyStatus {
    ACTIVE, INACTIVE, EXPIRED, REVOKED;

    /** The only statuses a client may set through a patch. */
    public boolean settableByClient() {
        return this == ACTIVE || this == INACTIVE;
    }
}
