package com.hsrcpay.apikeys.localstack.hostile;

import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Generators of hostile credentials, each named for what it generates. */
final class HostileCredentials {

    private static final SecureRandom RANDOM = new SecureRandom();

    private HostileCredentials() {
    }

    /** An Authorization header value and how the contract answers it (before the endpoint's own rules). */
    record Credential(String shown, byte[] header, Kind kind) {

        enum Kind {
            /** Refused: 401 (or 429 while the guard blocks the source). */
            REFUSED,
            /** Bytes the web server may refuse before the application sees them: 400, else refused. */
            REFUSED_OR_BAD_REQUEST,
            /** Over the web server's header limit: some 4xx. */
            OVERSIZED,
            /** A valid publishable key: 403 on every endpoint that manages keys. */
            PUBLISHABLE
        }

        static Credential of(String shown, String header, Kind kind) {
            return new Credential(shown, header.getBytes(StandardCharsets.ISO_8859_1), kind);
        }
    }

    /** Authorization values that must not authenticate anyone, and a publishable key. */
    static Gen<Credential> refusedCredentials(World world) {
        String jwt = world.fullJwt;
        String[] parts = jwt.split("\\.");
        String otherSignature = parts[2].substring(0, parts[2].length() - 2)
                + (parts[2].endsWith("AA") ? "BB" : "AA");
        Credential.Kind refused = Credential.Kind.REFUSED;
        List<Credential> fixed = List.of(
                Credential.of("(empty)", "", refused),
                Credential.of("Bearer", "Bearer", refused),
                Credential.of("Bearer and a space", "Bearer ", refused),
                Credential.of("Bearer, two spaces, a valid JWT", "Bearer  " + jwt, refused),
                Credential.of("Basic", "Basic dXNlcjpwYXNzd29yZA==", refused),
                Credential.of("Token scheme with a valid JWT", "Token " + jwt, refused),
                Credential.of("valid JWT with a byte appended", "Bearer " + jwt + "x", refused),
                Credential.of("valid JWT with another signature", "Bearer " + parts[0] + "." + parts[1] + "."
                        + otherSignature, refused),
                Credential.of("JWT without its signature", "Bearer " + parts[0] + "." + parts[1] + ".", refused),
                Credential.of("JWT of two parts", "Bearer " + parts[0] + "." + parts[1], refused),
                Credential.of("a.b.c", "Bearer a.b.c", refused),
                Credential.of("payload swapped to another account", "Bearer " + parts[0] + "."
                        + payloadOf(TestJwts.forAccount(World.VICTIM_ACCOUNT).sign()) + "." + parts[2], refused),
                Credential.of("expired JWT", "Bearer " + TestJwts.forAccount(World.ACCOUNT)
                        .expiresAt(Instant.now().minus(Duration.ofMinutes(5))).sign(), refused),
                Credential.of("JWT not valid for 5 minutes", "Bearer " + TestJwts.forAccount(World.ACCOUNT)
                        .notBefore(Instant.now().plus(Duration.ofMinutes(5))).sign(), refused),
                Credential.of("JWT signed with another secret", "Bearer " + TestJwts.forAccount(World.ACCOUNT)
                        .signedWith("another-secret-of-at-least-32-bytes-0123456789").sign(), refused),
                Credential.of("JWT with alg none", "Bearer " + TestJwts.forAccount(World.ACCOUNT).unsigned(), refused),
                Credential.of("unknown sk_live_ key", "Bearer " + unknownKey(Mode.LIVE), refused),
                Credential.of("unknown sk_test_ key", "Bearer " + unknownKey(Mode.TEST), refused),
                Credential.of("sk_live_ key with a bad checksum", "Bearer " + badChecksum(world.readerSecret), refused),
                Credential.of("malformed pk_live_ key", "Bearer pk_live_not-a-real-key", refused),
                Credential.of("deleted key (another account's)", "Bearer " + world.victimDeletedSecret, refused),
                Credential.of("INACTIVE key (another account's)", "Bearer " + world.victimInactiveSecret, refused),
                new Credential("valid JWT with a raw NUL", ("Bearer " + jwt.substring(0, 20) + "\u0000"
                        + jwt.substring(20)).getBytes(StandardCharsets.ISO_8859_1), Credential.Kind.REFUSED_OR_BAD_REQUEST),
                new Credential("e-acute (raw UTF-8)", ("Bearer \u00e9" + jwt).getBytes(StandardCharsets.UTF_8),
                        Credential.Kind.REFUSED_OR_BAD_REQUEST),
                Credential.of("a 9,000-character token", "Bearer " + "x".repeat(9_000), Credential.Kind.OVERSIZED),
                Credential.of("a validly signed 12,000-character JWT", "Bearer " + signed(baseClaims(
                        ",\"padding\":\"" + "p".repeat(12_000) + "\"")), Credential.Kind.OVERSIZED),
                Credential.of("valid publishable key", "Bearer " + world.publishableKey, Credential.Kind.PUBLISHABLE));
        return Gen.of(fixed);
    }

    /**
     * JWTs validly signed with the test secret whose claims the contract refuses: no {@code exp}, {@code account_id}
     * or {@code sub} of another JSON type or outside {@code [A-Za-z0-9_-]{1,64}}, non-string permissions or scope, a
     * mode other than live/test.
     */
    static Gen<Credential> jwtsWithLaxClaims() {
        return Gen.of(laxJwts());
    }

    /** Every JWT {@link #jwtsWithLaxClaims()} draws from. */
    static List<Credential> laxJwts() {
        String account = "\"account_id\":\"" + World.ACCOUNT + "\"";
        String subject = "\"sub\":\"user_" + World.ACCOUNT + "\"";
        String permissions = "\"permissions\":[\"account:api:key:create\",\"account:api:key:read\","
                + "\"account:api:key:update\",\"account:api:key:delete\"]";
        String mode = "\"mode\":\"live\"";
        long exp = Instant.now().plus(Duration.ofHours(2)).getEpochSecond();
        String expiry = "\"exp\":" + exp;
        String iat = "\"iat\":" + Instant.now().getEpochSecond();
        List<String[]> variants = List.of(
                new String[]{"no exp", join(subject, account, permissions, mode, iat)},
                new String[]{"exp as a string", join(subject, account, permissions, mode, iat, "\"exp\":\"" + exp + "\"")},
                new String[]{"exp true", join(subject, account, permissions, mode, iat, "\"exp\":true")},
                new String[]{"exp null", join(subject, account, permissions, mode, iat, "\"exp\":null")},
                new String[]{"exp an array", join(subject, account, permissions, mode, iat, "\"exp\":[" + exp + "]")},
                accountVariant("12345", subject, permissions, mode, iat, expiry),
                accountVariant("0", subject, permissions, mode, iat, expiry),
                accountVariant("1.5", subject, permissions, mode, iat, expiry),
                accountVariant("true", subject, permissions, mode, iat, expiry),
                accountVariant("false", subject, permissions, mode, iat, expiry),
                accountVariant("null", subject, permissions, mode, iat, expiry),
                accountVariant("[]", subject, permissions, mode, iat, expiry),
                accountVariant("[\"" + World.ACCOUNT + "\"]", subject, permissions, mode, iat, expiry),
                accountVariant("{\"id\":\"" + World.ACCOUNT + "\"}", subject, permissions, mode, iat, expiry),
                accountVariant("\"\"", subject, permissions, mode, iat, expiry),
                accountVariant("\" \"", subject, permissions, mode, iat, expiry),
                accountVariant("\"acct hostile\"", subject, permissions, mode, iat, expiry),
                accountVariant("\"acct/hostile\"", subject, permissions, mode, iat, expiry),
                accountVariant("\"acct.hostile\"", subject, permissions, mode, iat, expiry),
                accountVariant("\"" + World.ACCOUNT + "\\n\"", subject, permissions, mode, iat, expiry),
                accountVariant("\"" + World.ACCOUNT + "\\u0000\"", subject, permissions, mode, iat, expiry),
                accountVariant("\"" + World.ACCOUNT + " \"", subject, permissions, mode, iat, expiry),
                accountVariant("\"" + "a".repeat(65) + "\"", subject, permissions, mode, iat, expiry),
                accountVariant("\"\u00e1cct\"", subject, permissions, mode, iat, expiry),
                new String[]{"sub 42", join("\"sub\":42", account, permissions, mode, iat, expiry)},
                new String[]{"sub true", join("\"sub\":true", account, permissions, mode, iat, expiry)},
                new String[]{"sub an array", join("\"sub\":[\"u\"]", account, permissions, mode, iat, expiry)},
                new String[]{"sub an object", join("\"sub\":{\"a\":\"b\"}", account, permissions, mode, iat, expiry)},
                new String[]{"sub null", join("\"sub\":null", account, permissions, mode, iat, expiry)},
                new String[]{"no sub", join(account, permissions, mode, iat, expiry)},
                permissionsVariant("\"permissions\":\"account:api:key:read\"", subject, account, mode, iat, expiry),
                permissionsVariant("\"permissions\":[1,2]", subject, account, mode, iat, expiry),
                permissionsVariant("\"permissions\":[true]", subject, account, mode, iat, expiry),
                permissionsVariant("\"permissions\":[null,\"account:api:key:read\"]", subject, account, mode, iat, expiry),
                permissionsVariant("\"permissions\":[[\"account:api:key:read\"]]", subject, account, mode, iat, expiry),
                permissionsVariant("\"permissions\":[{\"p\":\"account:api:key:read\"}]", subject, account, mode, iat,
                        expiry),
                permissionsVariant("\"permissions\":{\"account:api:key\":[\"read\"]}", subject, account, mode, iat,
                        expiry),
                permissionsVariant("\"permissions\":42", subject, account, mode, iat, expiry),
                permissionsVariant("\"scope\":42", subject, account, mode, iat, expiry),
                permissionsVariant("\"scope\":[\"account:api:key:read\"]", subject, account, mode, iat, expiry),
                permissionsVariant("\"scope\":true", subject, account, mode, iat, expiry),
                permissionsVariant("\"scope\":{\"a\":1}", subject, account, mode, iat, expiry),
                modeVariant("\"LIVE\"", subject, account, permissions, iat, expiry),
                modeVariant("\"Live\"", subject, account, permissions, iat, expiry),
                modeVariant("\"prod\"", subject, account, permissions, iat, expiry),
                modeVariant("\"\"", subject, account, permissions, iat, expiry),
                modeVariant("\" live\"", subject, account, permissions, iat, expiry),
                modeVariant("\"live \"", subject, account, permissions, iat, expiry),
                modeVariant("1", subject, account, permissions, iat, expiry),
                modeVariant("true", subject, account, permissions, iat, expiry),
                modeVariant("[\"live\"]", subject, account, permissions, iat, expiry),
                modeVariant("{\"m\":\"live\"}", subject, account, permissions, iat, expiry));
        return variants.stream()
                .map(v -> Credential.of("JWT with " + v[0], "Bearer " + signed(v[1]), Credential.Kind.REFUSED))
                .toList();
    }

    /** A JWT with valid claims plus {@code extra} (a JSON fragment starting with a comma). */
    static String baseClaims(String extra) {
        return "{\"sub\":\"user_" + World.ACCOUNT + "\",\"account_id\":\"" + World.ACCOUNT + "\",\"permissions\":"
                + "[\"account:api:key:read\"],\"mode\":\"live\",\"exp\":"
                + Instant.now().plus(Duration.ofHours(2)).getEpochSecond() + extra + "}";
    }

    /** {@code payload} (JSON, as written) signed HS256 with the suite's secret. */
    static String signed(String payload) {
        try {
            JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(payload));
            jws.sign(new MACSigner(TestJwts.HMAC_SECRET.getBytes(StandardCharsets.UTF_8)));
            return jws.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String unknownKey(Mode mode) {
        return SecretFormat.issue(KeyType.SECRET, mode, RANDOM).plaintext();
    }

    /** The same key with its last character changed: its checksum no longer holds. */
    static String badChecksum(String key) {
        char last = key.charAt(key.length() - 1);
        return key.substring(0, key.length() - 1) + (last == 'a' ? 'b' : 'a');
    }

    private static String payloadOf(String jwt) {
        return jwt.split("\\.")[1];
    }

    private static String[] accountVariant(String value, String... others) {
        return new String[]{"account_id " + value, join(others, "\"account_id\":" + value)};
    }

    private static String[] permissionsVariant(String claim, String... others) {
        return new String[]{claim, join(others, claim)};
    }

    private static String[] modeVariant(String value, String... others) {
        return new String[]{"mode " + value, join(others, "\"mode\":" + value)};
    }

    private static String join(String[] claims, String last) {
        return "{" + String.join(",", claims) + "," + last + "}";
    }

    private static String join(String... claims) {
        return "{" + String.join(",", claims) + "}";
    }
}
