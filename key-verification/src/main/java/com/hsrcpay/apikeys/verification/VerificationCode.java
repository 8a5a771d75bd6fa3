package com.hsrcpay.apikeys.verification;

/**
 * The outcome of verifying a presented key, as {@code POST /v1/keys/verify} reports it. {@code RATE_LIMITED} and
 * {@code USAGE_EXCEEDED}: a key that is otherwise valid, refused by its rate limits or its credits (usage control).
 */
public enum VerificationCode {
    VALID, NOT_FOUND, REVOKED, EXPIRED, INACTIVE, FORBIDDEN, RATE_LIMITED, USAGE_EXCEEDED
}
