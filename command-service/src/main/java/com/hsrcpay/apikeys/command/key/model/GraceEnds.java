package com.hsrcpay.apikeys.command.key.model;

/**
 * Payload of the {@value ApiKey#GRACE_DEADLINE} deadline: the hash of the previous secret whose rotation grace ends.
 * Stored (serialised with its class name) in the scheduler's table until it fires: rename or move it only with an
 * upcaster.
 */
public record GraceEnds(String secretSha256) {
}
