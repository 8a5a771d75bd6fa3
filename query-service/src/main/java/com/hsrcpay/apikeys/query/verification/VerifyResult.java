package com.hsrcpay.apikeys.query.verification;

import com.hsrcpay.apikeys.verification.KeyRecord;
import com.hsrcpay.apikeys.verification.KeyUsage;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import com.hsrcpay.apikeys.verification.Verification;
import com.hsrcpay.apikeys.verification.VerificationCode;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/** The answer of {@code POST /v1/keys/verify}; the key's details only when it exists and the caller may see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"valid", "code"},
        description = "key_id, account_id, mode and permissions only when the caller may see the key")
public record VerifyResult(boolean valid, VerificationCode code,
                           @Schema(format = "uuid") String keyId, String accountId, String mode,
                           Map<String, List<String>> permissions) {
}
