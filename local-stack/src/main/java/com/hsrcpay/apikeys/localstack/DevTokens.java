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
 * Ready-made developer JWTs for the local stack: account {@code acct_dev} with every key permission, and an operator's
 * with the platform's operator permissions only (replay, metrics).
 */
final class DevTokens {

    static final String ACCOUNT = "acct_dev";
    static final List<String> PERMISSIONS = List.of("account:api:key:create", "account:api:key:read",
            "account:api:key:update", "account:api:key:delete", "platform:api:key:verify");
    static final List<String> OPERATOR_PERMISSIONS = List.of(ProjectionReplayController.PERMISSION,
            SecurityConfiguration.METRICS_PERMISSION);
    private static final Duration LIFETIME = Duration.ofDays(30);

    private DevTokens() {
    }

    static String mint(String hmacSecret, String mode) {
        return mint(hmacSecret, "dev", PERMISSIONS, mode);
    }

    static String operator(String hmacSecret) {
        return mint(hmacSecret, "dev-operator", OPERATOR_PERMISSIONS, "live");
    }

    private static String mint(String hmacSecret, String subject, List<String> permissions, String mode) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(subject)
                .claim("account_id", ACCOUNT)
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
