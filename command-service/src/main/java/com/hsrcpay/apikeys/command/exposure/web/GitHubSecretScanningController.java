package com.hsrcpay.apikeys.command.exposure.web;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.command.exposure.application.ExposureFinding;
import com.hsrcpay.apikeys.command.exposure.application.ExposureReports;
import com.hsrcpay.apikeys.command.exposure.infrastructure.GitHubPublicKeys;
import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.http.RequestIds;
import com.hsrcpay.apikeys.shared.event.KeyExposed;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.enums.ParameterIn;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.security.SecurityRequirements;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * GitHub's secret scanning partner endpoint, as GitHub documents it: a JSON array of matches
 * {@code [{"token", "type", "url", "source"}]} signed by GitHub (the signature is the credential: no Authorization),
 * answered with GitHub's feedback array {@code [{"token_hash", "token_type", "label"}]} (bare, not the envelope).
 * A bad or missing signature is 401 and nothing is read. Fields GitHub may add to a match are ignored, unlike
 * elsewhere in this API: the format is GitHub's, and a report refused for a new field would leave a leaked key working.
 */
@RestController
@ConditionalOnProperty(name = "kms.verification.enabled", havingValue = "true", matchIfMissing = true)
@Tag(name = "Exposure")
public class GitHubSecretScanningController {

    public static final String PATH = "/v1/secret-scanning/github";
    static final String KEY_IDENTIFIER = "Github-Public-Key-Identifier";
    static final String SIGNATURE = "Github-Public-Key-Signature";
    /** The longest reported URL kept with the event; a longer one is kept out (the report still revokes). */
    static final int MAX_URL_LENGTH = 2000;

    private final GitHubPublicKeys publicKeys;
    private final ExposureReports reports;
    private final ObjectMapper json;

    public GitHubSecretScanningController(GitHubPublicKeys publicKeys, ExposureReports reports, ObjectMapper json) {
        this.publicKeys = publicKeys;
        this.reports = reports;
        this.json = json.copy().configure(com.fasterxml.jackson.databind.DeserializationFeature
                .FAIL_ON_UNKNOWN_PROPERTIES, false);
    }

    /** One match GitHub found in public. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    @Schema(name = "GitHubSecretScanningMatch", requiredProperties = {"token", "type"})
    public record Match(@Schema(description = "the string found: checked, never stored nor logged") String token,
                        @Schema(description = "the secret type registered with GitHub") String type,
                        @Schema(nullable = true, description = "where GitHub found it") String url,
                        @Schema(nullable = true, description = "what kind of content: content, commit, pull_request, "
                                + "gist, npm…") String source) {
    }

    /** GitHub's feedback on one match. */
    @Schema(name = "GitHubSecretScanningFeedback", requiredProperties = {"token_hash", "token_type", "label"})
    public record Feedback(
            @JsonProperty("token_hash") @Schema(description = "SHA-256 of the token, lowercase hex") String tokenHash,
            @JsonProperty("token_type") @Schema(description = "the match's type, as reported") String tokenType,
            @Schema(allowableValues = {"true_positive", "false_positive"}, description = "true_positive: a key "
                    + "this service issued, working or not (a working one is revoked by this report)") String label) {
    }

    @Operation(operationId = "reportGitHubSecretScanningMatches",
            summary = "GitHub secret scanning partner endpoint: revokes every working key among the matches",
            description = "Signed by GitHub: `Github-Public-Key-Signature` is the base64 DER ECDSA P-256 SHA-256 "
                    + "signature of the raw body by the key `Github-Public-Key-Identifier` names in the document at "
                    + "`KMS_GITHUB_SECRET_SCANNING_KEYS_URL`. A bad or missing signature is 401 and changes nothing.",
            parameters = {
                    @Parameter(in = ParameterIn.HEADER, name = KEY_IDENTIFIER, description = "the key_identifier of "
                            + "GitHub's public key that signed the body", schema = @Schema(type = "string")),
                    @Parameter(in = ParameterIn.HEADER, name = SIGNATURE, description = "base64 DER ECDSA signature "
                            + "of the raw body", schema = @Schema(type = "string"))})
    @SecurityRequirements
    @io.swagger.v3.oas.annotations.parameters.RequestBody(required = true, content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, array = @ArraySchema(schema = @Schema(implementation = Match.class))))
    @ApiResponse(responseCode = "200", description = "One feedback entry per match, in order", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE,
            array = @ArraySchema(schema = @Schema(implementation = Feedback.class))))
    @ApiResponse(responseCode = "401", description = "Missing or bad signature, or a key identifier GitHub does not "
            + "list (`reason: invalid_signature`); nothing changed", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(ref = "#/components/schemas/ErrorEnvelope")))
    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Feedback> report(
            @Parameter(hidden = true) @RequestHeader(name = KEY_IDENTIFIER, required = false) String identifier,
            @Parameter(hidden = true) @RequestHeader(name = SIGNATURE, required = false) String signature,
            @Parameter(hidden = true) @RequestBody byte[] body,
            HttpServletRequest request) {
        if (!publicKeys.verifies(identifier, signature, body)) {
            throw new ApiException(ApiError.of(401, "invalid_signature",
                    "The report is not signed by one of GitHub's secret scanning keys"));
        }
        List<Match> matches = matches(body);
        List<Feedback> feedback = new ArrayList<>(matches.size());
        for (Match match : matches) {
            String url = match.url() != null && match.url().length() <= MAX_URL_LENGTH ? match.url() : null;
            ExposureFinding finding = reports.report(List.of(match.token()), KeyExposed.GITHUB, url,
                    ExposureReports.GITHUB, RequestIds.current(request)).get(0);
            feedback.add(new Feedback(finding.tokenSha256(), match.type(),
                    finding.ours() ? "true_positive" : "false_positive"));
        }
        return feedback;
    }

    private List<Match> matches(byte[] body) {
        List<Match> matches;
        try {
            matches = json.readValue(body, new TypeReference<List<Match>>() { });
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("body", "malformed_json",
                    "The body is not GitHub's array of secret scanning matches");
        } catch (IOException e) {
            throw ApiException.badRequest("body", "unreadable_body", "The request body could not be read");
        }
        if (matches == null) {
            throw ApiException.badRequest("body", "invalid_type", "The body must be an array of matches");
        }
        for (int i = 0; i < matches.size(); i++) {
            Match match = matches.get(i);
            if (match == null || match.token() == null || match.type() == null) {
                throw ApiException.badRequest("[" + i + "]", "required", "Every match needs its token and type");
            }
        }
        return matches;
    }
}
