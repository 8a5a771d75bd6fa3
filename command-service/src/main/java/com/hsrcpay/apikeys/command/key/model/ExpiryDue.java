package com.hsrcpay.apikeys.command.key.model;

import java.time.Instant;

/**
 * Payload of the {@value ApiKey#EXPIRY_DEADLINE} deadline: the {@code expires_at} it was scheduled for. Stored
 * (serialised with its class name) in the scheduler's table until it fires: rename or move it only with an upcaster.
 */
public record ExpiryDue(Instant expiresAt) {
}
