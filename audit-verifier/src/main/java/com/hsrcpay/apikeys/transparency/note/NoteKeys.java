package com.hsrcpay.apikeys.transparency.note;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** What signer and verifier keys share: names and key ids (c2sp.org/signed-note). */
final class NoteKeys {

    static final byte ED25519 = 0x01;

    private NoteKeys() {
    }

    /** key ID = SHA-256(key name || 0x0A || 0x01 || 32-byte Ed25519 public key)[:4], big-endian. */
    static int keyId(String name, byte[] publicKey) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0x0A);
            sha.update(ED25519);
            sha.update(publicKey);
            byte[] digest = sha.digest();
            return (digest[0] & 0xff) << 24 | (digest[1] & 0xff) << 16 | (digest[2] & 0xff) << 8 | (digest[3] & 0xff);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing", e);
        }
    }

    /** Non-empty, no Unicode space and no plus. */
    static void requireName(String name) {
        if (name == null || name.isEmpty()) {
            throw new NoteFormatException("a key name is never empty");
        }
        for (int i = 0; i < name.length(); ) {
            int c = name.codePointAt(i);
            if (c == '+' || Character.isWhitespace(c) || Character.isSpaceChar(c) || c < 0x20) {
                throw new NoteFormatException("a key name has no spaces, plus signs or control characters");
            }
            i += Character.charCount(c);
        }
    }

    static String hex(int keyId) {
        return String.format("%08x", keyId);
    }

    static int parseHex(String text) {
        if (text.length() != 8 || !text.matches("[0-9a-f]{8}")) {
            throw new NoteFormatException("a key id is 8 lowercase hex digits");
        }
        return (int) Long.parseLong(text, 16);
    }
}
