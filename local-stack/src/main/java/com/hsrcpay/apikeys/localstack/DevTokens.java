package com.hsrcpay.apikeys.localstack;

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

/** Ready-made developer JWTs for the local stack: account {@code acct_dev}, every key permission. */
final class DevTokens {

    static final String ACCOUNT = "acct_dev";
    static final List<String> PERMISSIONS = List.of("account:api:key:create", "account:api:key:read",
            "account:api:key:update", "account:api:key:delete", "platform:api:key:verify");
    private static final Duration LIFETIME = Duration.ofDays(30);

    private DevTokens() {
    }

    static String mint(String hmacSecret, String mode) {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject("dev")
                .claim("account_id", ACCOUNT)
                .claim("permissions", PERMISSIONS)
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
