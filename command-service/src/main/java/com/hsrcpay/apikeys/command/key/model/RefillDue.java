package com.hsrcpay.apikeys.command.key.model;

import com.hsrcpay.apikeys.shared.key.Credits;

import java.time.Instant;

/** Payload of the refill deadline: the refill instant and the refill it was scheduled for. */
public record RefillDue(Instant at, Credits.Refill refill) {
}
