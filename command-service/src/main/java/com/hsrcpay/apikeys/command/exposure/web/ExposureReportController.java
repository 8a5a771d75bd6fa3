package com.hsrcpay.apikeys.command.exposure.web;

import com.hsrcpay.apikeys.command.exposure.application.ExposureReports;
import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ErrorResponses;
import com.hsrcpay.apikeys.edge.http.RequestIds;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * {@code POST /v1/keys/report-exposure}: anyone who finds a leaked key reports it (no credential: holding the secret is
 * the proof). The answer is the same 202 whatever the keys were, and comes before any of them is looked up (the
 * report is worked off in the background), so neither its content nor its timing tells a real key from a fake one.
 * Limited per client address.
 */
@RestController
@ConditionalOnProperty(name = "kms.verification.enabled", havingValue = "true", matchIfMissing = true)
@Tag(name = "Exposure")
public class ExposureReportController {

    public static final String PATH = "/v1/keys/report-exposure";

    private final ExposureReports reports;
    private final ReportRateLimit rateLimit;
    private final ErrorResponses errors;

    public ExposureReportController(ExposureReports reports, ReportRateLimit rateLimit, ErrorResponses errors) {
        this.reports = reports;
        this.rateLimit = rateLimit;
        this.errors = errors;
    }

    /** What the report answers: how many entries it received (not how many were keys). */
    @Schema(name = "ExposureReportReceipt", requiredProperties = {"received"})
    public record Receipt(@Schema(description = "the number of entries of keys") int received) {
    }

    @Operation(operationId = "reportKeyExposure", summary = "Report leaked keys: every working one is revoked",
            description = "No credential. Answers 202 with the number of entries received, whatever they were; the "
                    + "working keys among them are revoked within moments (revocation reason `exposed`).")
    @SecurityRequirements
    @ApiResponse(responseCode = "202", description = "Received", useReturnTypeSchema = true)
    @ApiResponse(responseCode = "429", description = "Too many reports from this client address (`reason: "
            + "rate_limited`): retry after the Retry-After delay", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(ref = "#/components/schemas/ErrorEnvelope")))
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Envelope.Single<Receipt>> report(@RequestBody ExposureReportRequest body,
                                                           HttpServletRequest request) {
        OptionalLong wait = rateLimit.admit(request.getRemoteAddr());
        if (wait.isPresent()) {
            return refusal(request, 429, new ApiError(429, "rate_limited",
                    "Too many exposure reports from this address; retry after the Retry-After delay",
                    Map.of("retry_after_seconds", wait.getAsLong())), wait.getAsLong());
        }
        List<String> keys = body.checkedKeys();
        String sourceUrl = body.checkedSourceUrl();
        if (!reports.reportLater(keys, KeyExposed.PUBLIC_REPORT, sourceUrl, ExposureReports.PUBLIC_REPORT,
                RequestIds.current(request))) {
            return refusal(request, 503, new ApiError(503, "temporarily_unavailable",
                    "Too many reports are waiting; retry after the Retry-After delay",
                    Map.of("retry_after_seconds", 1)), 1);
        }
        return ResponseEntity.status(202).body(Envelope.of(new Receipt(keys.size())));
    }

    @SuppressWarnings("unchecked")
    private <T> ResponseEntity<T> refusal(HttpServletRequest request, int status, ApiError error, long retryAfter) {
        return (ResponseEntity<T>) ResponseEntity.status(status).header("Retry-After", Long.toString(retryAfter))
                .contentType(MediaType.APPLICATION_JSON).body(errors.body(request, error));
    }
}
