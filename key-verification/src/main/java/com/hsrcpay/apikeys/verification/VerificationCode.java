package com.hsrcpay.apikeys.verification;

/** The outcome of verifying a presented key, as {@code POST /v1/keys/verify} reports it. */
public enum VerificationCode {
    VALID, NOT_FOUND, REVOKED, EXPIRED, INACTIVE, FORBIDDEN
}
