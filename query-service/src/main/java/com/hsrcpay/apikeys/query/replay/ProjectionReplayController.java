package com.hsrcpay.apikeys.query.replay;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.security.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Operator endpoint: rebuild a projection from the event store and watch it catch up. */
@RestController
@Tag(name = "Operations")
@RequestMapping(path = "/admin/projections/{name}/replay", produces = MediaType.APPLICATION_JSON_VALUE)
public class ProjectionReplayController {

    public static final String PERMISSION = "platform:projections:replay";

    private final ProjectionReplays replays;

    public ProjectionReplayController(ProjectionReplays replays) {
        this.replays = replays;
    }

    @Operation(operationId = "startProjectionReplay", summary = "Rebuild a projection from the first event")
    @ApiResponse(responseCode = "202", description = "Started (or restarted from zero)", useReturnTypeSchema = true)
    @PostMapping
    public ResponseEntity<Envelope.Single<ProjectionReplays.Progress>> start(@AuthenticationPrincipal Caller caller,
                                                                             @PathVariable("name") String name) {
        authorize(caller, name);
        return ResponseEntity.accepted().body(Envelope.of(replays.start(name)));
    }

    @Operation(operationId = "getProjectionReplay", summary = "Progress of a projection's replay")
    @GetMapping
    public Envelope.Single<ProjectionReplays.Progress> progress(@AuthenticationPrincipal Caller caller,
                                                                @PathVariable("name") String name) {
        authorize(caller, name);
        return Envelope.of(replays.progress(name));
    }

    private static void authorize(Caller caller, String name) {
        if (caller == null || caller.credential() != Caller.Credential.JWT || !caller.permits(PERMISSION)) {
            throw new ApiException(new ApiError(403, "missing_permission",
                    "This credential lacks the permission " + PERMISSION, Map.of("permission", PERMISSION)));
        }
        if (!ProjectionReplays.REPLAYABLE.contains(name)) {
            throw ApiException.notFound("No such projection: " + name);
        }
    }
}
