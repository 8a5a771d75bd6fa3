package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.shared.event.CreditsAdjusted;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Locale;

/**
 * Body of {@code POST /v1/api-keys/{id}/credits}. {@code operation} is text read exactly ({@link #parsedOperation}):
 * Jackson's enum reading trims, so {@code " set"} would pass.
 */
@Schema(name = "CreditsAdjustmentRequest", requiredProperties = {"operation", "amount"})
public record CreditsAdjustmentRequest(
        @Schema(allowableValues = {"set", "increment", "decrement"},
                description = "set: remaining becomes amount (an unlimited key becomes limited); increment, "
                        + "decrement: by amount (decrement stops at 0; both 409 credits_unlimited on an unlimited key)")
        String operation,
        @Schema(minimum = "0", maximum = "1000000000000", description = "at least 1 for increment and decrement")
        Long amount) {

    CreditsAdjusted.Operation parsedOperation() {
        if (operation == null) {
            throw ApiException.badRequest("operation", "required", "operation is required");
        }
        for (CreditsAdjusted.Operation known : CreditsAdjusted.Operation.values()) {
            if (known.name().toLowerCase(Locale.ROOT).equals(operation)) {
                return known;
            }
        }
        throw ApiException.badRequest("operation", "invalid_value", "operation must be set, increment or decrement");
    }
}
