package com.hsrcpay.apikeys.revocation;

import com.hsrcpay.apikeys.shared.message.KeyRevocation;

/**
 * Told of each revocation that changed the {@link RevocationList}, once: not for a redelivered record nor for one
 * whose secrets and key were already revoked. Also called for the records read during bootstrap.
 *
 * <p>Runs on the client's consumer thread after the list has been updated, so it should be quick (drop sessions,
 * evict a cache entry) and hand anything slow to another thread. An exception is logged and otherwise ignored.
 */
@FunctionalInterface
public interface RevocationListener {

    void onRevocation(KeyRevocation revocation);
}
