package com.hsrcpay.apikeys.edge.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where JWTs come from: a JWK set or an issuer in production; a shared HS256 secret
 * ({@code KMS_AUTH_JWT_HMAC_SECRET}) for the local stack and tests. {@code issuer} and {@code audience}, when set,
 * must match the token's {@code iss} and one of its {@code aud} ({@code KMS_AUTH_JWT_ISSUER},
 * {@code KMS_AUTH_JWT_AUDIENCE}); with {@code issuer-uri} the issuer is that URI unless {@code issuer} says otherwise.
 */
@ConfigurationProperties("kms.auth.jwt")
public record JwtSettings(String hmacSecret, String issuerUri, String jwkSetUri, String issuer, String audience) {

    static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }

    /** The issuer every token must name, or null when none is configured. */
    String expectedIssuer() {
        if (isSet(issuer)) {
            return issuer;
        }
        return isSet(issuerUri) ? issuerUri : null;
    }
}
