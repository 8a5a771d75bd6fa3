package com.hsrcpay.apikeys.query.verification;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.verification.KeyRecord;
import com.hsrcpay.apikeys.verification.KeyUsage;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import com.hsrcpay.apikeys.verification.Verification;
import com.hsrcpay.apikeys.verification.VerificationCode;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code POST /v1/keys/verify} for internal services: a platform credential with
 * {@code platform:api:key:verify} verifies any key; an account's credential with read verifies its own keys.
 */
@RestController
@Tag(name = "Verification")
public class KeyVerificationController {

    static final String PLATFORM_VERIFY = "platform:api:key:verify";
    /** Far above the length of any key of ours (46 characters): longer input is refused, not looked up. */
    private static final int KEY_MAX = 200;
    /** Checked before the pattern: the pattern's repeated group recurses per segment, so length bounds its depth. */
    private static final int PERMISSION_MAX = 200;
    private static final Pattern PERMISSION = Pattern.compile("^[a-z0-9_*-]+(?::[a-z0-9_*-]+)+$");

    private final KeyVerifier verifier;
    private final KeyUsage usage;

    public KeyVerificationController(KeyVerifier verifier, KeyUsage usage) {
        this.verifier = verifier;
        this.usage = usage;
    }

    @Operation(operationId = "verifyKey", summary = "Whether a key is valid now (and holds a permission)")
    @PostMapping(path = "/v1/keys/verify", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public Envelope.Single<VerifyResult> verify(@AuthenticationPrincipal Caller caller, @RequestBody VerifyRequest body) {
        boolean platform = caller.permits(PLATFORM_VERIFY); // a key never does: the namespace is reserved
        if (!platform) {
            caller.require(KeyPermission.READ);
        }
        if (body.key() == null || body.key().isBlank()) {
            throw ApiException.badRequest("key", "required", "key is required");
        }
        if (body.key().length() > KEY_MAX) {
            // no key of ours is that long: a wrong input, not a key that does not exist
            throw ApiException.badRequest("key", "too_long", "key may have at most " + KEY_MAX + " characters");
        }
        if (body.permission() != null && (body.permission().length() > PERMISSION_MAX
                || !PERMISSION.matcher(body.permission()).matches())) {
            throw new ApiException(new ApiError(400, "invalid_permission",
                    "permission looks like account:api:key:read", Map.of("field", "permission")));
        }
        Verification verification = verifier.verify(body.key(), body.permission());
        if (!platform && !verification.visibleTo(caller.accountId().value(), caller.mode())) {
            // another account's key, whatever its state, is to this caller no key at all
            return Envelope.of(new VerifyResult(false, VerificationCode.NOT_FOUND, null, null, null, null));
        }
        KeyRecord key = verification.key();
        if (key == null) {
            return Envelope.of(new VerifyResult(false, verification.code(), null, null, null, null));
        }
        if (verification.valid()) {
            usage.used(key.keyId(), null);
        }
        return Envelope.of(new VerifyResult(verification.valid(), verification.code(), key.keyId().toString(),
                key.accountId(), key.mode().wireName(), key.permissions().grants()));
    }
}
