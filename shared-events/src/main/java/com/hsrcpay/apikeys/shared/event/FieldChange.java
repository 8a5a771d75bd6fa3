package com.hsrcpay.apikeys.shared.event;

/** One changed field of an update, as it was and as it became. */
public record FieldChange<T>(T before, T after) {
}
