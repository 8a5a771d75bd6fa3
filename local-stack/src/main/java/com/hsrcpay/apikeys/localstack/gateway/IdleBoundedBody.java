package com.hsrcpay.apikeys.localstack.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A service's response body on its way to the client, piece by piece as it arrives, each piece flushed (the NDJSON
 * audit export streams for as long as it needs), with a bound on the silence between two pieces. The JDK client
 * bounds only the wait for the response headers ({@code HttpRequest.timeout}); a body that stops half-way would
 * hold the gateway's thread for ever.
 */
final class IdleBoundedBody implements Flow.Subscriber<List<ByteBuffer>> {

    private static final Object END = new Object();

    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();

    @Override
    public void onSubscribe(Flow.Subscription given) {
        subscription.complete(given);
        given.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> piece) {
        arrived.add(piece);
    }

    @Override
    public void onError(Throwable failure) {
        arrived.add(failure);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    /**
     * Writes the whole body to {@code out}; on any failure (the service silent for longer than {@code idle}, the
     * service or the client gone) the exchange with the service is cancelled and the failure thrown.
     *
     * @throws HttpTimeoutException when the service sent nothing for {@code idle}
     */
    void copyTo(OutputStream out, Duration idle) throws IOException, InterruptedException {
        boolean complete = false;
        try {
            while (true) {
                Object next = arrived.poll(idle.toNanos(), TimeUnit.NANOSECONDS);
                if (next == null) {
                    throw new HttpTimeoutException("The service sent nothing for " + idle.toMillis() + " ms");
                }
                if (next == END) {
                    complete = true;
                    return;
                }
                if (next instanceof Throwable failure) {
                    throw new IOException("The service's answer broke off: " + failure.getMessage(), failure);
                }
                for (Object buffer : (List<?>) next) {
                    write((ByteBuffer) buffer, out);
                }
                out.flush();
                subscription.join().request(1);
            }
        } finally {
            if (!complete) {
                subscription.thenAccept(Flow.Subscription::cancel);
            }
        }
    }

    private static void write(ByteBuffer buffer, OutputStream out) throws IOException {
        if (buffer.hasArray()) {
            out.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        } else {
            byte[] bytes = new byte[buffer.remaining()];
            buffer.get(bytes);
            out.write(bytes);
        }
    }
}
