package com.hsrcpay.apikeys.command.key.application;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.edge.error.Unavailable;
import com.hsrcpay.apikeys.shared.key.AccountId;
import com.hsrcpay.apikeys.shared.key.KeyId;
import com.hsrcpay.apikeys.shared.key.Mode;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Concurrent retries of one idempotent create in this JVM do the work once: the first runs it, the others wait for
 * its outcome (without a database connection, at most {@code maxWait}) and answer with the same key, replayed, or
 * the same refusal. A retry with another body is 409 at once. Retries that come after the first finished (a storm
 * let through a few at a time by the gateway) are answered from memory for {@code remembered}, without a database
 * round trip; a write to that key in this JVM forgets it, so a replay shows the key as it is, as a replay read from
 * the database would. What crosses instances and restarts is the durable claim ({@link IdempotentRequests}); this
 * only keeps a storm of one client from taking a connection per copy.
 */
public class IdempotentCreates {

    private static final int MAX_REMEMBERED = 10_000;

    private final Duration maxWait;
    private final Map<Request, InFlight> inFlight = new ConcurrentHashMap<>();
    private final Cache<Request, Answered> answered;

    public IdempotentCreates(Duration maxWait, Duration remembered) {
        this.maxWait = maxWait;
        this.answered = Caffeine.newBuilder().expireAfterWrite(remembered).maximumSize(MAX_REMEMBERED).build();
    }

    /** One idempotent create as the client names it. */
    public record Request(AccountId account, Mode mode, String idempotencyKey) {
    }

    public IssuedKey once(Request request, String requestSha256, Supplier<IssuedKey> create) {
        Answered earlier = answered.getIfPresent(request);
        if (earlier != null) {
            if (!earlier.requestSha256().equals(requestSha256)) {
                throw IdempotentRequests.reused();
            }
            return earlier.replay();
        }
        InFlight mine = new InFlight(requestSha256);
        InFlight running = inFlight.putIfAbsent(request, mine);
        if (running == null) {
            try {
                IssuedKey issued = create.get();
                answered.put(request, new Answered(requestSha256, replayOf(issued)));
                mine.outcome.complete(issued);
                return issued;
            } catch (RuntimeException e) {
                mine.outcome.completeExceptionally(e);
                throw e;
            } finally {
                inFlight.remove(request, mine);
            }
        }
        if (!running.requestSha256.equals(requestSha256)) {
            throw IdempotentRequests.reused();
        }
        return awaitReplay(running);
    }

    /** A write to this key happened: its remembered answers would show it as it was. */
    public void forget(KeyId keyId) {
        answered.asMap().values().removeIf(answer -> keyId.equals(answer.replay().key().keyId()));
    }

    private static IssuedKey replayOf(IssuedKey issued) {
        return new IssuedKey(issued.key(), null, true); // the plaintext went to the first request only
    }

    private IssuedKey awaitReplay(InFlight running) {
        try {
            return replayOf(running.outcome.get(maxWait.toMillis(), TimeUnit.MILLISECONDS));
        } catch (ExecutionException e) {
            // the same refusal for the same request; a failure of another kind is the first request's own
            if (e.getCause() instanceof KeyCommandRejected rejected) {
                throw rejected;
            }
            if (e.getCause() instanceof RuntimeException failure && Unavailable.isTransient(failure)) {
                throw failure; // 503 for all of them
            }
            throw stillRunning();
        } catch (TimeoutException e) {
            throw stillRunning();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw stillRunning();
        }
    }

    private static KeyCommandRejected stillRunning() {
        return new KeyCommandRejected(Rejection.CONCURRENT_MODIFICATION,
                "The first request with this Idempotency-Key has not finished; retry",
                Map.of("reason", "idempotent_request_in_progress", "field", "Idempotency-Key"));
    }

    private record Answered(String requestSha256, IssuedKey replay) {
    }

    private static final class InFlight {
        final String requestSha256;
        final CompletableFuture<IssuedKey> outcome = new CompletableFuture<>();

        InFlight(String requestSha256) {
            this.requestSha256 = requestSha256;
        }
    }
}
