package com.hsrcpay.apikeys.query.verification;

import com.hsrcpay.apikeys.verification.KeyRecord;
import com.hsrcpay.apikeys.verification.KeyUsage;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import com.hsrcpay.apikeys.verification.Verification;
import com.hsrcpay.apikeys.verification.VerificationCode;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** The answer of {@code POST /v1/keys/verify}; the key's details only when it exists and the caller may see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record VerifyResult(boolean valid, VerificationCode code, String keyId, String accountId, String mode,
                           Map<String, List<String>> permissions) {
}
