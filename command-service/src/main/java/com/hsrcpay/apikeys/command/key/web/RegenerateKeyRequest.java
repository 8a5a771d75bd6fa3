package com.hsrcpay.apikeys.command.key.web;

import io.swagger.v3.oas.annotations.media.Schema;

/** Optional body of {@code POST /v1/api-keys/{id}/regenerate}. */
public record RegenerateKeyRequest(
        @Schema(minimum = "0", maximum = "86400", defaultValue = "0",
                description = "how long the previous secret keeps working") Long gracePeriodSeconds) {
}
