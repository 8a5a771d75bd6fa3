package com.hsrcpay.apikeys.command.key.application;

import com.hsrcpay.apikeys.command.key.model.KeyCommandRejected;
import com.hsrcpay.apikeys.command.key.model.Rejection;
import com.hsrcpay.apikeys.edge.error.Unavailable;
import com.hsrcpay.apikeys.shared.key.AccountId;
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
 * the same refusal. A retry with another body is 409 at once. What crosses instances and restarts is the durable
 * claim ({@link IdempotentRequests}); this only keeps a storm of one client from taking a connection per copy.
 */
public class IdempotentCreates {

    private final Duration maxWait;
    private final Map<Request, InFlight> inFlight = new ConcurrentHashMap<>();

    public IdempotentCreates(Duration maxWait) {
        this.maxWait = maxWait;
    }

    /** One idempotent create as the client names it. */
    public record Request(AccountId account, Mode mode, String idempotencyKey) {
    }

    public IssuedKey once(Request request, String requestSha256, Supplier<IssuedKey> create) {
        InFlight mine = new InFlight(requestSha256);
        InFlight running = inFlight.putIfAbsent(request, mine);
        if (running == null) {
            try {
                IssuedKey issued = create.get();
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

    private IssuedKey awaitReplay(InFlight running) {
        try {
            IssuedKey first = running.outcome.get(maxWait.toMillis(), TimeUnit.MILLISECONDS);
            return new IssuedKey(first.key(), null, true); // the plaintext went to the first request only
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

    private static final class InFlight {
        final String requestSha256;
        final CompletableFuture<IssuedKey> outcome = new CompletableFuture<>();

        InFlight(String requestSha256) {
            this.requestSha256 = requestSha256;
        }
    }
}
