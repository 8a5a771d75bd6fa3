package com.hsrcpay.apikeys.edge.security;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds the JWT decoder from {@link JwtSettings}, with the same validation on every path (HMAC, JWK set, issuer):
 * signature, {@code exp} required and not passed, {@code nbf} reached, {@code iss} and {@code aud} when configured.
 * The claims' JSON types are checked by {@link JwtCallers}. Refuses to start without a way to verify tokens.
 */
final class JwtDecoders {

    private static final int MIN_HMAC_SECRET_BYTES = 32;

    private JwtDecoders() {
    }

    static JwtDecoder from(JwtSettings settings) {
        NimbusJwtDecoder decoder = decoder(settings);
        decoder.setJwtValidator(validator(settings));
        return decoder;
    }

    private static NimbusJwtDecoder decoder(JwtSettings settings) {
        if (JwtSettings.isSet(settings.jwkSetUri())) {
            return NimbusJwtDecoder.withJwkSetUri(settings.jwkSetUri()).build();
        }
        if (JwtSettings.isSet(settings.issuerUri())) {
            return NimbusJwtDecoder.withIssuerLocation(settings.issuerUri()).build();
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

    static OAuth2TokenValidator<Jwt> validator(JwtSettings settings) {
        List<OAuth2TokenValidator<Jwt>> all = new ArrayList<>();
        // JwtTimestampValidator checks exp and nbf only when present: a token without exp would never expire
        all.add(new JwtClaimValidator<Instant>(JwtClaimNames.EXP, Objects::nonNull));
        all.add(new JwtTimestampValidator());
        String issuer = settings.expectedIssuer();
        if (issuer != null) {
            all.add(new JwtIssuerValidator(issuer));
        }
        if (JwtSettings.isSet(settings.audience())) {
            String audience = settings.audience();
            all.add(new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                    aud -> aud != null && aud.contains(audience)));
        }
        return new DelegatingOAuth2TokenValidator<>(all);
    }
}
