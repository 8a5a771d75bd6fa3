package com.hsrcpay.apikeys.transparency.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;

/** An Ed25519 note verifier key, {@code <name>+<hex key id>+<base64(0x01 || public key)>} (c2sp.org/signed-note). */
public final class NoteVerifier {

    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final PublicKey key;

    NoteVerifier(String name, byte[] publicKey) {
        NoteKeys.requireName(name);
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = NoteKeys.keyId(name, publicKey);
        try {
            this.key = Ed25519.publicKeyOf(publicKey);
        } catch (GeneralSecurityException e) {
            throw new NoteFormatException("not an Ed25519 public key", e);
        }
    }

    /** Parses a verifier key; refuses any other form, algorithm, or a key id that does not match the key. */
    public static NoteVerifier parse(String vkey) {
        if (vkey == null) {
            throw new NoteFormatException("no verifier key");
        }
        String[] parts = vkey.split("\\+", 3);
        if (parts.length != 3) {
            throw new NoteFormatException("a verifier key is <name>+<key id>+<key>");
        }
        int id = NoteKeys.parseHex(parts[1]);
        byte[] material;
        try {
            material = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("the key of a verifier key is base64", e);
        }
        if (material.length != 1 + Ed25519.KEY_SIZE || material[0] != NoteKeys.ED25519) {
            throw new NoteFormatException("only Ed25519 verifier keys (type 0x01, 32 bytes) are known");
        }
        NoteVerifier verifier = new NoteVerifier(parts[0], Arrays.copyOfRange(material, 1, material.length));
        if (verifier.keyId != id) {
            throw new NoteFormatException("the key id " + parts[1] + " does not match the key");
        }
        if (!verifier.toString().equals(vkey)) {
            throw new NoteFormatException("a verifier key in a non-canonical encoding");
        }
        return verifier;
    }

    public String name() {
        return name;
    }

    public int keyId() {
        return keyId;
    }

    /** Whether {@code signature} (64 bytes) is this key's over {@code text}. */
    public boolean verify(String text, byte[] signature) {
        return signature.length == Ed25519.SIGNATURE_SIZE
                && Ed25519.verify(key, text.getBytes(StandardCharsets.UTF_8), signature);
    }

    /** The verifier key in its text form. */
    @Override
    public String toString() {
        byte[] material = new byte[1 + Ed25519.KEY_SIZE];
        material[0] = NoteKeys.ED25519;
        System.arraycopy(publicKey, 0, material, 1, Ed25519.KEY_SIZE);
        return name + "+" + NoteKeys.hex(keyId) + "+" + Base64.getEncoder().encodeToString(material);
    }
}
