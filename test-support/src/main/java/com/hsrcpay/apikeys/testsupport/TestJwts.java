package com.hsrcpay.apikeys.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/** HS256 JWTs as the contract describes them (sub, account_id, permissions, mode), for tests. */
public final class TestJwts {

    /** The shared secret tests configure as {@code kms.auth.jwt.hmac-secret}. */
    public static final String HMAC_SECRET = "test-only-hmac-secret-0123456789abcdef";

    public static final List<String> ALL_KEY_PERMISSIONS = List.of(
            "account:api:key:create", "account:api:key:read", "account:api:key:update", "account:api:key:delete");

    private TestJwts() {
    }

    public static Token forAccount(String accountId) {
        return new Token("user_" + accountId, accountId, ALL_KEY_PERMISSIONS, "live",
                Instant.now().plus(Duration.ofHours(1)), null, HMAC_SECRET);
    }

    /** A token under construction; every wither returns a copy. */
    public record Token(String subject, String accountId, List<String> permissions, String mode,
                        Instant expiresAt, Instant notBefore, String secret) {

        public Token permissions(String... values) {
            return new Token(subject, accountId, List.of(values), mode, expiresAt, notBefore, secret);
        }

        public Token mode(String value) {
            return new Token(subject, accountId, permissions, value, expiresAt, notBefore, secret);
        }

        public Token expiresAt(Instant value) {
            return new Token(subject, accountId, permissions, mode, value, notBefore, secret);
        }

        public Token notBefore(Instant value) {
            return new Token(subject, accountId, permissions, mode, expiresAt, value, secret);
        }

        public Token signedWith(String value) {
            return new Token(subject, accountId, permissions, mode, expiresAt, notBefore, value);
        }

        public String sign() {
            try {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims());
                jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
                return jwt.serialize();
            } catch (JOSEException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The same claims with {@code alg: none}: must always be refused. */
        public String unsigned() {
            return new PlainJWT(claims()).serialize();
        }

        private JWTClaimsSet claims() {
            JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                    .subject(subject)
                    .claim("account_id", accountId)
                    .claim("permissions", permissions)
                    .issueTime(new Date())
                    .expirationTime(expiresAt == null ? null : Date.from(expiresAt));
            if (mode != null) {
                claims.claim("mode", mode);
            }
            if (notBefore != null) {
                claims.notBeforeTime(Date.from(notBefore));
            }
            return claims.build();
        }
    }
}
