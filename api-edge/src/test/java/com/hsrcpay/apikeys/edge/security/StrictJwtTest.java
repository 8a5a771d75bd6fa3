package com.hsrcpay.apikeys.edge.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The contract's "Credentials, stricter" for JWTs: validly signed tokens whose claims have the wrong shape are
 * refused like a bad signature. Issue 10, item 4 found each of these accepted.
 */
class StrictJwtTest {

    private static final String SECRET = "strict-jwt-test-secret-0123456789abcdef";
    private static final long EXP = Instant.now().plusSeconds(600).getEpochSecond();

    private final BearerAuthenticationManager plain = manager(new JwtSettings(SECRET, null, null, null, null));

    private static BearerAuthenticationManager manager(JwtSettings settings) {
        return new BearerAuthenticationManager(JwtDecoders.from(settings), null);
    }

    /** A correctly signed HS256 token whose payload is exactly {@code claims} (raw JSON, so any type can be sent). */
    static String signed(String claims) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(claims));
            jws.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Caller caller(BearerAuthenticationManager manager, String token) {
        return (Caller) manager.authenticate(new BearerTokenAuthenticationToken(token)).getPrincipal();
    }

    @Test
    void aWellFormedTokenActsForItsAccount() {
        Caller caller = caller(plain, signed("{\"sub\":\"u1\",\"account_id\":\"acct_1a2b\",\"mode\":\"test\","
                + "\"permissions\":[\"account:api:key:read\"],\"exp\":" + EXP + "}"));
        assertThat(caller.accountId().value()).isEqualTo("acct_1a2b");
        assertThat(caller.actor().id()).isEqualTo("u1");
        assertThat(caller.permits("account:api:key:read")).isTrue();
        assertThat(caller.mode().wireName()).isEqualTo("test");
    }

    @Test
    void aSpaceSeparatedScopeIsAcceptedToo() {
        Caller caller = caller(plain, signed("{\"sub\":\"u1\",\"account_id\":\"acct_1\","
                + "\"scope\":\"account:api:key:read account:api:key:create\",\"exp\":" + EXP + "}"));
        assertThat(caller.permits("account:api:key:create")).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            // no exp: such a token would never expire
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"permissions\":[]}",
            "{\"sub\":\"u1\",\"account_id\":12345,\"permissions\":[],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":[\"acct_1\"],\"permissions\":[],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":{\"id\":\"acct_1\"},\"permissions\":[],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":true,\"permissions\":[],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"acct 1\",\"permissions\":[],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"\",\"permissions\":[],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\",\"exp\":EXP}",
            "{\"sub\":42,\"account_id\":\"acct_1\",\"permissions\":[],\"exp\":EXP}",
            "{\"account_id\":\"acct_1\",\"permissions\":[],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"permissions\":[\"account:api:key:read\",7],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"permissions\":\"account:api:key:read\",\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"scope\":[\"account:api:key:read\"],\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"mode\":\"LIVE\",\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"mode\":1,\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"account_id\":\"acct_2\",\"exp\":EXP}",
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"exp\":1}",
            "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"exp\":\"EXP\"}",
    })
    void aValidlySignedTokenWithMalformedClaimsIsRefused(String claims) {
        String token = signed(claims.replace("EXP", Long.toString(EXP)));
        assertThatThrownBy(() -> plain.authenticate(new BearerTokenAuthenticationToken(token)))
                .isInstanceOf(AuthenticationException.class);
    }

    @Test
    void theIssuerAndAudienceAreCheckedWhenConfigured() {
        BearerAuthenticationManager strict = manager(
                new JwtSettings(SECRET, null, null, "https://auth.hsrcpay.example", "api-keys"));
        String base = "{\"sub\":\"u1\",\"account_id\":\"acct_1\",\"exp\":" + EXP;
        assertThat(caller(strict, signed(base + ",\"iss\":\"https://auth.hsrcpay.example\",\"aud\":[\"api-keys\"]}")))
                .isNotNull();
        assertThat(caller(strict, signed(base + ",\"iss\":\"https://auth.hsrcpay.example\",\"aud\":\"api-keys\"}")))
                .as("a single audience as a string").isNotNull();
        for (String wrong : new String[]{
                base + ",\"aud\":[\"api-keys\"]}",
                base + ",\"iss\":\"https://evil.example\",\"aud\":[\"api-keys\"]}",
                base + ",\"iss\":\"https://auth.hsrcpay.example\"}",
                base + ",\"iss\":\"https://auth.hsrcpay.example\",\"aud\":[\"payments\"]}"}) {
            String token = signed(wrong);
            assertThatThrownBy(() -> strict.authenticate(new BearerTokenAuthenticationToken(token)))
                    .as(wrong).isInstanceOf(AuthenticationException.class);
        }
    }

    @Test
    void aKeyNeverHoldsThePlatformNamespaceButAPlatformTokenDoes() {
        Caller platform = caller(plain, signed("{\"sub\":\"svc\",\"account_id\":\"platform\","
                + "\"permissions\":[\"platform:api:key:verify\"],\"exp\":" + EXP + "}"));
        assertThat(platform.permits("platform:api:key:verify")).isTrue();
        Caller key = new Caller(Caller.Credential.SECRET_KEY, platform.actor(), platform.accountId(), platform.mode(),
                com.hsrcpay.apikeys.shared.key.Permissions.fromStrings(java.util.List.of("*")));
        assertThat(key.permits("platform:api:key:verify")).as("a key with * never verifies for the platform").isFalse();
        assertThat(key.permits("account:api:key:delete")).isTrue();
    }
}
