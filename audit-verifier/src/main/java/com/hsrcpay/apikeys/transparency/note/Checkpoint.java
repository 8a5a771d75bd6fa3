package com.hsrcpay.apikeys.transparency.note;

import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A checkpoint's text (c2sp.org/tlog-checkpoint): the origin line, the tree size in decimal and the base64 RFC 6962
 * root hash, each ending in a newline. Extension lines are not written; on parsing they are allowed and ignored.
 */
public record Checkpoint(String origin, long size, byte[] rootHash) {

    public Checkpoint {
        if (origin == null || origin.isEmpty() || origin.indexOf('\n') >= 0) {
            throw new NoteFormatException("a checkpoint's origin is one non-empty line");
        }
        if (size < 0) {
            throw new NoteFormatException("a tree size is never negative");
        }
        if (rootHash == null || rootHash.length != 32) {
            throw new NoteFormatException("a root hash is 32 bytes");
        }
        rootHash = rootHash.clone();
    }

    @Override
    public byte[] rootHash() {
        return rootHash.clone();
    }

    public String text() {
        return origin + "\n" + size + "\n" + Base64.getEncoder().encodeToString(rootHash) + "\n";
    }

    /** The checkpoint in a note's text (as {@link SignedNote#open} returns it). */
    public static Checkpoint parse(String text) {
        if (text == null || !text.endsWith("\n")) {
            throw new NoteFormatException("a checkpoint ends in a newline");
        }
        String[] lines = text.substring(0, text.length() - 1).split("\n", -1);
        if (lines.length < 3) {
            throw new NoteFormatException("a checkpoint has an origin, a tree size and a root hash line");
        }
        if (!lines[1].matches("0|[1-9][0-9]{0,18}")) {
            throw new NoteFormatException("a tree size is decimal without leading zeros");
        }
        for (int i = 3; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                throw new NoteFormatException("a checkpoint's extension lines are not empty");
            }
        }
        byte[] root;
        try {
            root = Base64.getDecoder().decode(lines[2]);
        } catch (IllegalArgumentException e) {
            throw new NoteFormatException("a root hash is base64", e);
        }
        try {
            return new Checkpoint(lines[0], Long.parseLong(lines[1]), root);
        } catch (NumberFormatException e) {
            throw new NoteFormatException("a tree size is at most " + Long.MAX_VALUE, e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Checkpoint that && origin.equals(that.origin) && size == that.size
                && Arrays.equals(rootHash, that.rootHash);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, Arrays.hashCode(rootHash));
    }

    @Override
    public String toString() {
        return "Checkpoint[" + origin + ", " + size + ", " + Base64.getEncoder().encodeToString(rootHash) + "]";
    }
}
