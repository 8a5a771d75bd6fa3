package com.hsrcpay.apikeys.localstack;

import com.hsrcpay.apikeys.edge.security.SecurityConfiguration;
import com.hsrcpay.apikeys.query.replay.ProjectionReplayController;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * Ready-made JWTs for the local stack: the developer's (account {@code acct_dev}, every key and webhook endpoint
 * permission) and the
 * operator's (scrape metrics, replay projections).
 */
final class DevTokens {

    static final String ACCOUNT = "acct_dev";
    static final List<String> PERMISSIONS = List.of("account:api:key:create", "account:api:key:read",
            "account:api:key:update", "account:api:key:delete", "account:webhook:endpoint:create",
            "account:webhook:endpoint:read", "account:webhook:endpoint:update", "account:webhook:endpoint:delete",
            "platform:api:key:verify");
    /** What {@code /actuator/prometheus} and {@code /admin/projections/{name}/replay} ask of a JWT. */
    static final List<String> OPERATOR_PERMISSIONS =
            List.of(SecurityConfiguration.METRICS_PERMISSION, ProjectionReplayController.PERMISSION);
    /** Every JWT names an account; the operator's acts for none of the merchants' (no key permission). */
    static final String OPERATOR_ACCOUNT = "acct_platform";
    private static final Duration LIFETIME = Duration.ofDays(30);

    private DevTokens() {
    }

    static String mint(String hmacSecret, String mode) {
        return sign(hmacSecret, "dev", ACCOUNT, PERMISSIONS, mode);
    }

    static String mintOperator(String hmacSecret) {
        return sign(hmacSecret, "operator", OPERATOR_ACCOUNT, OPERATOR_PERMISSIONS, "live");
    }

    private static String sign(String hmacSecret, String subject, String account, List<String> permissions,
                               String mode) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("account_id", account)
                .claim("permissions", permissions)
                .claim("mode", mode)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
            jwt.sign(new MACSigner(hmacSecret.getBytes(StandardCharsets.UTF_8)));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("The dev token could not be signed", e);
        }
    }
}
