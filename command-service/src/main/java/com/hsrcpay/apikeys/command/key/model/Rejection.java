package com.hsrcpay.apikeys.command.key.model;

/**
 * Why a command was refused. Travels with the exception (also across a distributed command bus as
 * its details) so that the edge maps it to one precise HTTP status.
 */
public enum Rejection {
    /** Input breaks a rule of the contract (name, permissions, metadata, expiry, type, status). */
    INVALID_INPUT,
    /** The new permissions name what the acting credential does not hold itself, or the reserved namespace. */
    PERMISSION_NOT_GRANTABLE,
    /** No such key for this account and mode. */
    KEY_NOT_FOUND,
    /** The key is deleted: nothing may change any more. */
    KEY_DELETED,
    /** The key is revoked: nothing but deletion may happen to it. */
    KEY_REVOKED,
    /** The key has expired: its status can no longer change and it cannot be rotated. */
    KEY_EXPIRED,
    /** Only managed keys may be regenerated. */
    KEY_NOT_MANAGED,
    /** If-Match named a version that is no longer current. */
    VERSION_MISMATCH,
    /** Another writer changed the key at the same moment (optimistic lock on the event store). */
    CONCURRENT_MODIFICATION,
    /** A patch that names no field to change. */
    NOTHING_TO_CHANGE,
    /** An Idempotency-Key was reused with a different request. */
    IDEMPOTENCY_KEY_REUSED,
    /** Credits can only be added to or taken from a key that has credits (set them first). */
    CREDITS_UNLIMITED
}
