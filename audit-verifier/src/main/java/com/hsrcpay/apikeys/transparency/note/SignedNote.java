package com.hsrcpay.apikeys.transparency.note;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

/** Opening signed notes (c2sp.org/signed-note): the text, once a signature of the trusted key verified. */
public final class SignedNote {

    static final String DASH = "\u2014";
    private static final int MAX_SIGNATURES = 100;

    private SignedNote() {
    }

    /** The note's text; throws {@link NoteFormatException} unless it is well formed and {@code verifier} signed it. */
    public static String open(byte[] note, NoteVerifier verifier) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(note)).toString();
        } catch (CharacterCodingException e) {
            throw new NoteFormatException("a note is UTF-8", e);
        }
        return open(text, verifier);
    }

    public static String open(String note, NoteVerifier verifier) {
        for (int i = 0; i < note.length(); i++) {
            char c = note.charAt(i);
            if (c < 0x20 && c != '\n') {
                throw new NoteFormatException("a note holds no control characters but newlines");
            }
        }
        int split = note.lastIndexOf("\n\n");
        if (split < 0 || !note.endsWith("\n")) {
            throw new NoteFormatException("a note is text, a blank line and signature lines, each ending in a newline");
        }
        String text = note.substring(0, split + 1);
        String[] lines = note.substring(split + 2, note.length() - 1).split("\n", -1);
        if (lines.length > MAX_SIGNATURES) {
            throw new NoteFormatException("a note with more than " + MAX_SIGNATURES + " signatures");
        }
        boolean verified = false;
        for (String line : lines) {
            String prefix = DASH + " ";
            if (!line.startsWith(prefix)) {
                throw new NoteFormatException("a signature line starts with an em dash and a space");
            }
            String[] parts = line.substring(prefix.length()).split(" ", -1);
            if (parts.length != 2 || parts[0].isEmpty()) {
                throw new NoteFormatException("a signature line is: em dash, space, key name, space, signature");
            }
            byte[] signature;
            try {
                signature = Base64.getDecoder().decode(parts[1]);
            } catch (IllegalArgumentException e) {
                throw new NoteFormatException("a signature is base64", e);
            }
            if (signature.length < 5) {
                throw new NoteFormatException("a signature is a 4-byte key id and the signature");
            }
            int keyId = ByteBuffer.wrap(signature, 0, 4).getInt();
            if (parts[0].equals(verifier.name()) && keyId == verifier.keyId()) {
                if (!verifier.verify(text, Arrays.copyOfRange(signature, 4, signature.length))) {
                    throw new NoteFormatException("the signature of " + verifier.name() + " does not verify");
                }
                verified = true;
            }
        }
        if (!verified) {
            throw new NoteFormatException("no signature of the trusted key " + verifier.name() + " on the note");
        }
        return text;
    }

    /** A note text is non-empty, ends in a newline and holds no control characters but newlines. */
    static void requireText(String text) {
        if (text == null || text.isEmpty() || !text.endsWith("\n")) {
            throw new NoteFormatException("a note text ends in a newline");
        }
        CharBuffer.wrap(text).chars().filter(c -> c < 0x20 && c != '\n').findAny().ifPresent(c -> {
            throw new NoteFormatException("a note text holds no control characters but newlines");
        });
    }
}
