package com.hsrcpay.apikeys.query.verification;

import com.hsrcpay.apikeys.verification.KeyRecord;
import com.hsrcpay.apikeys.verification.KeyUsage;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import com.hsrcpay.apikeys.verification.Verification;
import com.hsrcpay.apikeys.verification.VerificationCode;
import io.swagger.v3.oas.annotations.media.Schema;

/** Body of {@code POST /v1/keys/verify}. */
@Schema(requiredProperties = "key")
public record VerifyRequest(
        String key,
        @Schema(description = "also checks this permission, e.g. account:api:key:read")
        String permission) {
}
