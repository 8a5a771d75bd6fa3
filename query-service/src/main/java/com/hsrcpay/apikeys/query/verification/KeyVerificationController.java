package com.hsrcpay.apikeys.query.verification;

import com.hsrcpay.apikeys.edge.envelope.Envelope;
import com.hsrcpay.apikeys.edge.error.ApiError;
import com.hsrcpay.apikeys.edge.error.ApiException;
import com.hsrcpay.apikeys.edge.security.Caller;
import com.hsrcpay.apikeys.edge.security.KeyPermission;
import com.hsrcpay.apikeys.shared.key.RateLimit;
import com.hsrcpay.apikeys.verification.KeyRecord;
import com.hsrcpay.apikeys.verification.KeyUsage;
import com.hsrcpay.apikeys.verification.KeyVerifier;
import com.hsrcpay.apikeys.verification.Verification;
import com.hsrcpay.apikeys.verification.VerificationCode;
import com.hsrcpay.apikeys.verification.usage.LimitCost;
import com.hsrcpay.apikeys.verification.usage.UsageControl;
import com.hsrcpay.apikeys.verification.usage.UsageHours;
import com.hsrcpay.apikeys.verification.usage.UsageRefusal;
import com.hsrcpay.apikeys.verification.usage.UsageRequest;
import com.hsrcpay.apikeys.verification.usage.UsageVerdict;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
    private final UsageControl usageControl;
    private final UsageHours usageHours;
    private final Clock clock;

    public KeyVerificationController(KeyVerifier verifier, KeyUsage usage, ObjectProvider<UsageControl> usageControl,
                                     ObjectProvider<UsageHours> usageHours, Clock clock) {
        this.verifier = verifier;
        this.usage = usage;
        this.usageControl = usageControl.getIfAvailable();
        this.usageHours = usageHours.getIfAvailable();
        this.clock = clock;
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
        Long creditCost = creditCost(body.credits());
        List<LimitCost> limitCosts = limitCosts(body.ratelimits());
        Verification verification = verifier.verify(body.key(), body.permission());
        if (!platform && !verification.visibleTo(caller.accountId().value(), caller.mode())) {
            // another account's key, whatever its state, is to this caller no key at all
            return Envelope.of(new VerifyResult(false, VerificationCode.NOT_FOUND, null, null, null, null));
        }
        KeyRecord key = verification.key();
        if (key == null) {
            return Envelope.of(new VerifyResult(false, verification.code(), null, null, null, null));
        }
        VerificationCode code = verification.code();
        UsageVerdict verdict = null;
        // the names are checked against the key whatever usage control decides: a name it does not have is wrong input
        UsageControl.unknownLimit(key.ratelimits(), limitCosts).ifPresent(name -> {
            throw ApiException.badRequest("ratelimits", "unknown_limit",
                    "The key has no rate limit '" + name + "', or it is named twice");
        });
        if (usageControl != null && key.usageControlled()) {
            UsageRequest request = new UsageRequest(key.keyId(), key.ratelimits(), key.credits() != null,
                    nextRefill(key), creditCost, limitCosts);
            if (verification.valid()) {
                // only a key that is otherwise valid spends; the database being away is the caller's 503
                verdict = usageControl.check(request);
                if (!verdict.admitted()) {
                    code = verdict.refusal() == UsageRefusal.RATE_LIMITED ? VerificationCode.RATE_LIMITED
                            : VerificationCode.USAGE_EXCEEDED;
                }
            } else {
                // refused for the key's state: its limits and credits as they stand, nothing spent
                verdict = usageControl.peek(request);
            }
        }
        boolean valid = code == VerificationCode.VALID;
        if (valid) {
            usage.used(key.keyId(), null);
        }
        if (usageHours != null) {
            usageHours.record(key.keyId(), code.name());
        }
        return Envelope.of(new VerifyResult(valid, code, key.keyId().toString(), key.accountId(),
                key.mode().wireName(), key.permissions().grants(), creditsLeft(key, verdict), limitsLeft(verdict)));
    }

    private Instant nextRefill(KeyRecord key) {
        return key.credits() == null || key.credits().refill() == null ? null
                : key.credits().refill().nextAfter(clock.instant());
    }

    /** What the answer says of the key's credits: after this verification, or (not spent) as this instance knows. */
    private VerifyResult.CreditsLeft creditsLeft(KeyRecord key, UsageVerdict verdict) {
        if (usageControl == null || key.credits() == null) {
            return null;
        }
        long remaining = verdict != null && verdict.creditsRemaining() != null ? verdict.creditsRemaining()
                : usageControl.credits().estimate(key.keyId());
        return new VerifyResult.CreditsLeft(remaining);
    }

    private static List<VerifyResult.LimitLeft> limitsLeft(UsageVerdict verdict) {
        if (verdict == null || verdict.limits().isEmpty()) {
            return null;
        }
        return verdict.limits().stream().map(limit -> new VerifyResult.LimitLeft(limit.name(), limit.limit(),
                limit.remaining(), limit.resetAt(), limit.exceeded())).toList();
    }

    private static Long creditCost(VerifyRequest.CreditCost credits) {
        if (credits == null) {
            return null;
        }
        return cost("credits.cost", credits.cost());
    }

    private static List<LimitCost> limitCosts(List<VerifyRequest.LimitCost> ratelimits) {
        if (ratelimits == null) {
            return null;
        }
        if (ratelimits.size() > RateLimit.MAX_PER_KEY) {
            throw ApiException.badRequest("ratelimits", "too_many", "A key has at most " + RateLimit.MAX_PER_KEY
                    + " rate limits");
        }
        List<LimitCost> costs = new ArrayList<>();
        for (int i = 0; i < ratelimits.size(); i++) {
            String field = "ratelimits[" + i + "]";
            VerifyRequest.LimitCost limit = ratelimits.get(i);
            if (limit == null || limit.name() == null || !RateLimit.NAME.matcher(limit.name()).matches()) {
                throw ApiException.badRequest(field + ".name", "invalid_value",
                        field + ".name must be the name of one of the key's rate limits");
            }
            costs.add(new LimitCost(limit.name(), cost(field + ".cost", limit.cost())));
        }
        return costs;
    }

    private static long cost(String field, Long cost) {
        if (cost == null) {
            throw ApiException.badRequest(field, "required", field + " is required");
        }
        if (cost < 0 || cost > LimitCost.MAX) {
            throw ApiException.badRequest(field, "out_of_range", field + " must be between 0 and " + LimitCost.MAX);
        }
        return cost;
    }
}
