package com.hsrcpay.apikeys.shared.secret;

import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.key.SecretFingerprint;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The key format {@code {sk|pk}_{live|test}_<body><checksum>}: 32 base62 characters of randomness
 * (about 190 bits) and a 6-character CRC32 checksum, so a mistyped or truncated key is refused
 * without touching storage. Only {@link #sha256} of a key is ever stored.
 */
public final class SecretFormat {

    static final int BODY_LENGTH = 32;
    static final int CHECKSUM_LENGTH = 6;
    private static final String BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private static final Pattern SHAPE = Pattern.compile(
            "^(sk|pk)_(live|test)_([0-9A-Za-z]{" + BODY_LENGTH + "})([0-9A-Za-z]{" + CHECKSUM_LENGTH + "})$");

    private SecretFormat() {
    }

    /** A new secret of the given type and mode; the caller hands the plaintext out once and keeps the fingerprint. */
    public static IssuedSecret issue(KeyType type, Mode mode, SecureRandom random) {
        String prefix = prefix(type, mode);
        StringBuilder body = new StringBuilder(BODY_LENGTH);
        for (int i = 0; i < BODY_LENGTH; i++) {
            body.append(BASE62.charAt(random.nextInt(BASE62.length())));
        }
        String plaintext = prefix + body + checksum(prefix + body);
        return new IssuedSecret(plaintext, fingerprint(plaintext));
    }

    public static String prefix(KeyType type, Mode mode) {
        return type.prefix() + "_" + mode.wireName() + "_";
    }

    /** The parsed parts of a well-formed key whose checksum holds; empty for anything else. */
    public static Optional<PresentedKey> parse(String presented) {
        if (presented == null) {
            return Optional.empty();
        }
        Matcher m = SHAPE.matcher(presented);
        if (!m.matches()) {
            return Optional.empty();
        }
        String prefix = m.group(1) + "_" + m.group(2) + "_";
        if (!checksum(prefix + m.group(3)).equals(m.group(4))) {
            return Optional.empty();
        }
        KeyType type = "sk".equals(m.group(1)) ? KeyType.SECRET : KeyType.PUBLISHABLE;
        Mode mode = "live".equals(m.group(2)) ? Mode.LIVE : Mode.TEST;
        return Optional.of(new PresentedKey(type, mode, sha256(presented)));
    }

    public static SecretFingerprint fingerprint(String plaintext) {
        return new SecretFingerprint(sha256(plaintext), hint(plaintext));
    }

    /** Display form: the prefix and the last four characters, e.g. {@code sk_live_…9fQx}. */
    public static String hint(String plaintext) {
        int prefixEnd = plaintext.indexOf('_', plaintext.indexOf('_') + 1) + 1;
        return plaintext.substring(0, prefixEnd) + "…" + plaintext.substring(plaintext.length() - 4);
    }

    public static String sha256(String plaintext) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(plaintext.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JVM", e);
        }
    }

    static String checksum(String text) {
        CRC32 crc = new CRC32();
        crc.update(text.getBytes(StandardCharsets.US_ASCII));
        long value = crc.getValue();
        char[] out = new char[CHECKSUM_LENGTH];
        for (int i = CHECKSUM_LENGTH - 1; i >= 0; i--) {
            out[i] = BASE62.charAt((int) (value % 62));
            value /= 62;
        }
        return new String(out);
    }

    /** A key as presented by a caller, reduced to what a lookup needs. */
    public record PresentedKey(KeyType type, Mode mode, String sha256) {
    }
}
