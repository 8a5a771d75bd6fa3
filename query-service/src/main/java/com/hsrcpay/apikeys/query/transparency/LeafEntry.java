package com.hsrcpay.apikeys.query.transparency;

/** A stored event as the log sees it: its id, its key's position, and its chain digest (32 bytes, the leaf data). */
public record LeafEntry(String eventIdentifier, String keyId, long sequenceNumber, byte[] chainDigest) {

    public LeafEntry {
        if (chainDigest == null || chainDigest.length != 32) {
            throw new IllegalArgumentException("event " + eventIdentifier + " has no 32-byte chain digest");
        }
    }
}
