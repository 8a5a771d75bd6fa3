package com.hsrcpay.apikeys.command.key.application;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.shared.key.KeyId;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * One write at a time per key in this JVM, taken in arrival order and waited for at most {@code maxWait}; a request
 * that does not get its turn in time is 409 {@code concurrent_modification}. Taken before the command is dispatched,
 * so a request waiting for a busy key holds no database connection: Axon's own aggregate lock is taken inside the
 * unit of work, after its transaction has a connection, and thirty racing rotations of one key used to hold ten
 * connections waiting for it while everything else starved. Across instances the event store's unique
 * (aggregate, sequence) still decides.
 */
public class KeyTurns {

    private final Duration maxWait;
    // weak values: a lock lives while a thread holds or waits for it, then it is collected
    private final LoadingCache<KeyId, ReentrantLock> locks = Caffeine.newBuilder().weakValues()
            .build(key -> new ReentrantLock(true));

    public KeyTurns(Duration maxWait) {
        this.maxWait = maxWait;
    }

    public <T> T inTurn(KeyId key, Supplier<T> write) {
        ReentrantLock lock = locks.get(key);
        boolean acquired;
        try {
            acquired = lock.tryLock(maxWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new KeyCommandRejected(Rejection.CONCURRENT_MODIFICATION,
                    "Other changes of this key are in progress; retry", Map.of("reason", "concurrent_modification"));
        }
        try {
            return write.get();
        } finally {
            lock.unlock();
        }
    }
}
