package com.hsrcpay.apikeys.edge.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where JWTs come from: a JWK set or an issuer in production; a shared HS256 secret
 * ({@code KMS_AUTH_JWT_HMAC_SECRET}) for the local stack and tests.
 */
@ConfigurationProperties("kms.auth.jwt")
public record JwtSettings(String hmacSecret, String issuerUri, String jwkSetUri) {

    static boolean isSet(String value) {
        return value != null && !value.isBlank();
    }
}
