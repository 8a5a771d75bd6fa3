package com.hsrcpay.apikeys.edge.security;

import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;

/** Builds the JWT decoder from {@link JwtSettings}; refuses to start without a way to verify tokens. */
final class JwtDecoders {

    private static final int MIN_HMAC_SECRET_BYTES = 32;

    private JwtDecoders() {
    }

    static JwtDecoder from(JwtSettings settings) {
        if (JwtSettings.isSet(settings.jwkSetUri())) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build();
            if (JwtSettings.isSet(settings.issuerUri())) {
                decoder.setJwtValidator(JwtValidators.createDefaultWithIssuer(settings.issuerUri()));
            }
            return decoder;
        }
        if (JwtSettings.isSet(settings.issuerUri())) {
            return org.springframework.security.oauth2.jwt.JwtDecoders.fromIssuerLocation(settings.issuerUri());
        }
        if (JwtSettings.isSet(settings.hmacSecret())) {
            byte[] secret = settings.hmacSecret().getBytes(StandardCharsets.UTF_8);
            if (secret.length < MIN_HMAC_SECRET_BYTES) {
                throw new IllegalStateException("kms.auth.jwt.hmac-secret (KMS_AUTH_JWT_HMAC_SECRET) must be at least "
                        + MIN_HMAC_SECRET_BYTES + " bytes");
            }
            return NimbusJwtDecoder.withSecretKey(new SecretKeySpec(secret, "HmacSHA256"))
                    .macAlgorithm(MacAlgorithm.HS256).build();
        }
        throw new IllegalStateException("No way to verify JWTs: set KMS_AUTH_JWT_HMAC_SECRET, "
                + "kms.auth.jwt.issuer-uri or kms.auth.jwt.jwk-set-uri");
    }
}
