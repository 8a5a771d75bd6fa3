package com.hsrcpay.apikeys.transparency.note;

import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.security.PrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * An Ed25519 note signer, from a signer key in the form of Go's {@code golang.org/x/mod/sumdb/note}:
 * {@code PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 || 32-byte seed)>}. Its text is a secret: never logged,
 * and {@link #toString()} does not show it.
 */
public final class NoteSigner {

    private static final String PREFIX = "PRIVATE+KEY+";

    private final String name;
    private final PrivateKey key;
    private final NoteVerifier verifier;

    private NoteSigner(String name, byte[] seed) {
        NoteKeys.requireName(name);
        if (seed.length != Ed25519.KEY_SIZE) {
            throw new NoteFormatException("an Ed25519 seed is 32 bytes");
        }
        this.name = name;
        this.key = Ed25519.privateKey(seed);
        this.verifier = new NoteVerifier(name, Ed25519.publicKey(seed));
    }

    /** A new random key for {@code name}, as its signer key text (store it as a secret). */
    public static String generate(String name) {
        byte[] seed = Ed25519.randomSeed();
        NoteSigner signer = new NoteSigner(name, seed);
        return signerKey(name, signer.verifier.keyId(), seed);
    }

    /** Parses a signer key; refuses any other form, or a key id that does not match the key. */
    public static NoteSigner parse(String skey) {
        if (skey == null || !skey.startsWith(PREFIX)) {
            throw new NoteFormatException("a signer key starts with " + PREFIX);
        }
        String[] parts = skey.substring(PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            throw new NoteFormatException("a signer key is PRIVATE+KEY+<name>+<key id>+<key>");
        }
        int id = NoteKeys.parseHex(parts[1]);
        byte[] material;
        try {
            material = Base64.getDecoder().decode(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("the key of a signer key is base64");
        }
        if (material.length != 1 + Ed25519.KEY_SIZE || material[0] != NoteKeys.ED25519) {
            throw new NoteFormatException("only Ed25519 signer keys (type 0x01, 32-byte seed) are known");
        }
        byte[] seed = Arrays.copyOfRange(material, 1, material.length);
        NoteSigner signer = new NoteSigner(parts[0], seed);
        if (signer.verifier.keyId() != id || !signerKey(parts[0], id, seed).equals(skey)) {
            throw new NoteFormatException("the key id of the signer key does not match its key");
        }
        return signer;
    }

    public String name() {
        return name;
    }

    public NoteVerifier verifier() {
        return verifier;
    }

    /** The signed note: {@code text} (ending in a newline), a blank line, and this key's signature line. */
    public String sign(String text) {
        SignedNote.requireText(text);
        byte[] signature = Ed25519.sign(key, text.getBytes(StandardCharsets.UTF_8));
        byte[] line = ByteBuffer.allocate(4 + signature.length).putInt(verifier.keyId()).put(signature).array();
        return text + "\n" + SignedNote.DASH + " " + name + " " + Base64.getEncoder().encodeToString(line) + "\n";
    }

    @Override
    public String toString() {
        return "NoteSigner[" + verifier + "]";
    }

    private static String signerKey(String name, int keyId, byte[] seed) {
        byte[] material = new byte[1 + Ed25519.KEY_SIZE];
        material[0] = NoteKeys.ED25519;
        System.arraycopy(seed, 0, material, 1, Ed25519.KEY_SIZE);
        return PREFIX + name + "+" + NoteKeys.hex(keyId) + "+" + Base64.getEncoder().encodeToString(material);
    }
}
