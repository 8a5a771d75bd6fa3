package com.hsrcpay.apikeys.query.verification;

import com.hsrcpay.apikeys.verification.KeyRecord;
import com.hsrcpay.apikeys.verification.KeyUsage;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import com.hsrcpay.apikeys.verification.Verification;
import com.hsrcpay.apikeys.verification.VerificationCode;

/** Body of {@code POST /v1/keys/verify}. */
public record VerifyRequest(String key, String permission) {
}
