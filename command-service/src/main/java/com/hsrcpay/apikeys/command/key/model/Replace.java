package com.hsrcpay.apikeys.command.key.model;

/**
 * A field a patch sets. A null {@code Replace} leaves the field alone; a {@code Replace} holding null
 * clears it (JSON merge-patch semantics of the contract's PATCH).
 */
public record Replace<T>(T value) {

    public static <T> Replace<T> with(T value) {
        return new Replace<>(value);
    }
}
