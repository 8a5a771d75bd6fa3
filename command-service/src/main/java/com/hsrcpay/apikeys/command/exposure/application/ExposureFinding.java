package com.hsrcpay.apikeys.command.exposure.application;

/**
 * What a report of one token found: the token's SHA-256 (lowercase hex, the only form of it kept) and whether it is
 * a secret this service issued, working or not.
 */
public record ExposureFinding(String tokenSha256, boolean ours) {
}
