package com.hsrcpay.apikeys.query.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.hsrcpay.apikeys.verification.VerificationCode;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The answer of {@code POST /v1/keys/verify}; the key's details only when it exists and the caller may see it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(requiredProperties = {"valid", "code"},
        description = "key_id, account_id, mode and permissions only when the caller may see the key")
public record VerifyResult(boolean valid, VerificationCode code,
                           @Schema(format = "uuid") String keyId, String accountId, String mode,
                           Map<String, List<String>> permissions,
                           @Schema(description = "when the key has credits: what remains after this verification")
                           CreditsLeft credits,
                           @Schema(description = "when the key has rate limits: each limit applied (after this "
                                   + "verification; on an answer refused for the key's state, as they stand, nothing "
                                   + "spent)") List<LimitLeft> ratelimits) {

    public VerifyResult(boolean valid, VerificationCode code, String keyId, String accountId, String mode,
                        Map<String, List<String>> permissions) {
        this(valid, code, keyId, accountId, mode, permissions, null, null);
    }

    /** {@code credits} of the answer. */
    @Schema(name = "CreditsLeft", requiredProperties = "remaining")
    public record CreditsLeft(long remaining) {
    }

    /**
     * One applied rate limit: what remains, when it next grows, and whether it refused this verification (on an answer
     * refused for the key's state: whether it has no room for this verification's cost now).
     */
    @Schema(name = "LimitLeft", requiredProperties = {"name", "limit", "remaining", "reset_at", "exceeded"})
    public record LimitLeft(String name, long limit, long remaining, Instant resetAt, boolean exceeded) {
    }
}
