package com.hsrcpay.apikeys.query.usage;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.http.QueryParameters;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.query.key.application.KeyReads;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.verification.usage.UsageHours;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /v1/api-keys/{id}/usage}: a key's verifications per hour, valid and refused by code, as usage control
 * aggregated them in memory and wrote them every few seconds (no write per verification). With usage control off
 * nothing is counted and the answer is empty.
 */
@RestController
@Tag(name = "API keys")
public class KeyUsageController {

    /** At most this much of a key's usage per call (the contract's 7 days). */
    static final Duration MAX_SPAN = Duration.ofDays(7);

    private final KeyReads reads;
    private final UsageHours hours;

    public KeyUsageController(KeyReads reads, ObjectProvider<UsageHours> hours) {
        this.reads = reads;
        this.hours = hours.getIfAvailable();
    }

    /** One hour of a key's verifications. */
    @Schema(name = "UsageHour", requiredProperties = {"hour", "valid", "refused"})
    public record UsageHour(
            @Schema(description = "the start of the hour (UTC)") Instant hour,
            @Schema(description = "verifications answered VALID") long valid,
            @Schema(description = "verifications refused, by code (e.g. RATE_LIMITED, USAGE_EXCEEDED, REVOKED)")
            Map<String, Long> refused) {
    }

    @Operation(operationId = "getKeyUsage", summary = "The key's verifications per hour: valid, and refused by code")
    @GetMapping(path = "/v1/api-keys/{id}/usage", produces = MediaType.APPLICATION_JSON_VALUE)
    public Envelope.Single<List<UsageHour>> usage(
            @AuthenticationPrincipal Caller caller,
            @PathVariable("id") String id,
            @Parameter(schema = @Schema(type = "string", format = "date-time"), description = "inclusive")
            @RequestParam("from") String from,
            @Parameter(schema = @Schema(type = "string", format = "date-time"),
                    description = "exclusive; at most 7 days after from")
            @RequestParam("to") String to) {
        caller.require(KeyPermission.READ);
        Instant start = QueryParameters.instant("from", from);
        Instant end = QueryParameters.instant("to", to);
        if (!start.isBefore(end)) {
            throw ApiException.badRequest("from", "invalid_window", "from must be before to");
        }
        if (Duration.between(start, end).compareTo(MAX_SPAN) > 0) {
            throw ApiException.badRequest("to", "window_too_long", "to may be at most 7 days after from");
        }
        KeyId keyId = KeyId.parse(id).orElseThrow(() -> ApiException.notFound("No such API key"));
        reads.get(caller.accountId(), caller.mode(), keyId.value())
                .orElseThrow(() -> ApiException.notFound("No such API key"));
        if (hours == null) {
            return Envelope.of(List.of());
        }
        return Envelope.of(hours.between(keyId.value(), start, end).stream()
                .map(bucket -> new UsageHour(bucket.hour(), bucket.valid(), bucket.refused())).toList());
    }
}
