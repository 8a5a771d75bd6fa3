package com.hsrcpay.apikeys.command.key.web;

import com.hsrcpay.apikeys.command.key.application.KeyWrites;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.http.RequestIds;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.shared.key.ApplicationId;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** The applications API: revoke one key of an application ({@code {}} on success, as in its seed). */
@RestController
@Tag(name = "Applications")
public class ApplicationKeyController {

    private final KeyWrites writes;

    public ApplicationKeyController(KeyWrites writes) {
        this.writes = writes;
    }

    @Operation(operationId = "revokeApplicationKey", summary = "Revoke one key of an application")
    @ApiResponse(responseCode = "200", description = "Revoked: an empty object", content = @Content(
            mediaType = MediaType.APPLICATION_JSON_VALUE, schema = @Schema(type = "object", maxProperties = 0)))
    @DeleteMapping(path = "/api/v1/applications/{applicationId}/api-keys/{keyId}",
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> revoke(@AuthenticationPrincipal Caller caller,
                                      @PathVariable("applicationId") String applicationId,
                                      @PathVariable("keyId") String keyId,
                                      HttpServletRequest request) {
        caller.require(KeyPermission.DELETE);
        ApplicationId application = ApplicationId.parse(applicationId)
                .orElseThrow(() -> ApiException.notFound("The requested resource was not found"));
        writes.revokeForApplication(caller, application, ApiKeyWriteController.keyId(keyId), RequestIds.current(request));
        return Map.of();
    }
}
