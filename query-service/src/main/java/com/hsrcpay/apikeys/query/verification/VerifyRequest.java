package com.hsrcpay.apikeys.query.verification;

import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** Body of {@code POST /v1/keys/verify}. */
@Schema(requiredProperties = "key")
public record VerifyRequest(
        String key,
        @Schema(description = "also checks this permission, e.g. account:api:key:read")
        String permission,
        @Schema(nullable = true, description = "what this verification costs in credits (default 1 when the key has "
                + "credits)")
        CreditCost credits,
        @ArraySchema(arraySchema = @Schema(nullable = true, description = "exactly the key's limits to apply, with "
                + "their costs (default: every limit of the key, cost 1); a name the key does not have is 400"),
                schema = @Schema(implementation = LimitCost.class))
        List<LimitCost> ratelimits) {

    /** {@code credits} of the request. */
    @Schema(name = "CreditCost", requiredProperties = "cost")
    public record CreditCost(@Schema(minimum = "0", maximum = "1000", description = "0 is admitted, free") Long cost) {
    }

    /** One entry of {@code ratelimits}. */
    @Schema(name = "LimitCost", requiredProperties = {"name", "cost"})
    public record LimitCost(String name, @Schema(minimum = "0", maximum = "1000") Long cost) {
    }
}
