package com.hsrcpay.apikeys.localstack.resilience;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * The suite's clients: the JDK HttpClient (HTTP/1.1, one connection per concurrent request) on a fixed pool of
 * platform threads, so at these sizes the generator is never what is measured. A storm releases all its requests at
 * once through a latch; a loop keeps sending until stopped. Every request has {@link Bounds#CLIENT_TIMEOUT}.
 */
final class LoadGenerator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI base;
    private final ExecutorService clientThreads = Executors.newFixedThreadPool(8, daemon("load-client"));
    private final ExecutorService senders = Executors.newFixedThreadPool(Bounds.STORM_SIZE + 16, daemon("load-sender"));
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Bounds.CLIENT_TIMEOUT)
            .executor(clientThreads)
            .build();

    LoadGenerator(URI base) {
        this.base = base;
    }

    static LoadGenerator onPort(int port) {
        return new LoadGenerator(URI.create("http://localhost:" + port));
    }

    /** A request to this generator's base address; {@code body} is JSON (a String as is, else serialised). */
    Request request(String label, String method, String path) {
        return new Request(label, method, path);
    }

    /** Sends one request and waits for its outcome. */
    Outcome send(HttpRequest request, String label) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return new Outcome(label, sent, System.nanoTime() - sent, response.statusCode(), response.headers(),
                    response.body(), null);
        } catch (HttpConnectTimeoutException e) {
            return failed(label, sent, "connect-timeout");
        } catch (HttpTimeoutException e) {
            return failed(label, sent, Outcome.TIMEOUT);
        } catch (ConnectException e) {
            return failed(label, sent, Outcome.REFUSED);
        } catch (IOException e) {
            return failed(label, sent, "io:" + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(label, sent, "interrupted");
        }
    }

    /**
     * {@code copies} requests (the i-th built by {@code request.apply(i)}), each on its own thread and connection,
     * released at the same instant; returns when every one has its outcome (at most the client timeout after that).
     */
    List<Outcome> storm(int copies, IntFunction<Request> request) {
        List<Request> requests = new ArrayList<>();
        for (int i = 0; i < copies; i++) {
            requests.add(request.apply(i));
        }
        CountDownLatch ready = new CountDownLatch(copies);
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (Request r : requests) {
            HttpRequest built = r.build();
            futures.add(senders.submit(() -> {
                ready.countDown();
                go.await();
                return send(built, r.label);
            }));
        }
        try {
            if (!ready.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the storm's senders did not start");
            }
            go.countDown();
            List<Outcome> outcomes = new ArrayList<>();
            for (Future<Outcome> future : futures) {
                outcomes.add(future.get(Bounds.CLIENT_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS));
            }
            return outcomes;
        } catch (Exception e) {
            throw new IllegalStateException("storm interrupted", e);
        }
    }

    /** {@code threads} clients each sending {@code request.apply(n)} (n counts up across them) until stopped. */
    Loop loop(int threads, IntFunction<Request> request) {
        return loop(threads, (n, record) -> record.accept(request.apply(n).send()));
    }

    /** {@code threads} clients each running {@code script} (n counts up across them) again and again until stopped. */
    Loop loop(int threads, Script script) {
        Loop loop = new Loop();
        for (int t = 0; t < threads; t++) {
            loop.running.add(senders.submit(() -> {
                while (!loop.stopped.get()) {
                    script.run(loop.sequence.getAndIncrement(), loop.outcomes::add);
                }
            }));
        }
        return loop;
    }

    /**
     * Open-loop arrivals, as real traffic comes: {@code perSecond} requests a second whether or not earlier ones were
     * answered (each still bounded by the client timeout), until stopped.
     */
    Arrivals arrivals(int perSecond, IntFunction<Request> request) {
        Arrivals arrivals = new Arrivals();
        long periodMicros = 1_000_000L / perSecond;
        arrivals.schedule = arrivals.timer.scheduleAtFixedRate(() -> {
            Request r = request.apply(arrivals.sequence.getAndIncrement());
            long sent = System.nanoTime();
            arrivals.inFlight.incrementAndGet();
            client.sendAsync(r.build(), HttpResponse.BodyHandlers.ofString()).whenComplete((response, error) -> {
                arrivals.outcomes.add(response != null
                        ? new Outcome(r.label, sent, System.nanoTime() - sent, response.statusCode(),
                                response.headers(), response.body(), null)
                        : failed(r.label, sent, error instanceof HttpTimeoutException
                                || error.getCause() instanceof HttpTimeoutException ? Outcome.TIMEOUT
                                : "io:" + error.getClass().getSimpleName()));
                arrivals.inFlight.decrementAndGet();
            });
        }, 0, periodMicros, TimeUnit.MICROSECONDS);
        return arrivals;
    }

    /** Requests arriving at a fixed rate until {@link #stop()}. */
    static final class Arrivals {
        private final java.util.concurrent.ScheduledExecutorService timer =
                Executors.newSingleThreadScheduledExecutor(daemon("load-arrivals"));
        private final AtomicInteger sequence = new AtomicInteger();
        private final AtomicInteger inFlight = new AtomicInteger();
        private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        private java.util.concurrent.ScheduledFuture<?> schedule;

        /** Stops the arrivals and waits for the answers of those sent (each bounded by the client timeout). */
        List<Outcome> stop() {
            schedule.cancel(false);
            timer.shutdown();
            org.awaitility.Awaitility.await("open-loop requests answered").atMost(Bounds.CLIENT_TIMEOUT.plusSeconds(10))
                    .until(() -> inFlight.get() == 0);
            synchronized (outcomes) {
                return List.copyOf(outcomes);
            }
        }
    }

    /** What one client does in one turn of a loop: any number of requests, each outcome recorded. */
    @FunctionalInterface
    interface Script {
        void run(int n, java.util.function.Consumer<Outcome> record);
    }

    @Override
    public void close() {
        senders.shutdownNow();
        clientThreads.shutdownNow();
    }

    private static Outcome failed(String label, long sent, String failure) {
        return new Outcome(label, sent, System.nanoTime() - sent, 0, null, null, failure);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread thread = new Thread(r, name + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Clients sending until {@link #stop()}; outcomes in the order they completed. */
    static final class Loop {
        private final AtomicBoolean stopped = new AtomicBoolean();
        private final AtomicInteger sequence = new AtomicInteger();
        private final List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        private final List<Future<?>> running = new ArrayList<>();

        /** Stops the clients and waits for their last requests (each bounded by the client timeout). */
        List<Outcome> stop() {
            stopped.set(true);
            for (Future<?> future : running) {
                try {
                    future.get(Bounds.CLIENT_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    throw new IllegalStateException("a load client did not finish", e);
                }
            }
            return outcomes();
        }

        List<Outcome> outcomes() {
            synchronized (outcomes) {
                return List.copyOf(outcomes);
            }
        }

        int completed() {
            return outcomes.size();
        }
    }

    /** A request under construction. */
    final class Request {
        private final String label;
        private final String method;
        private final String path;
        private final HttpRequest.Builder builder;
        private String body;

        private Request(String label, String method, String path) {
            this.label = label;
            this.method = method;
            this.path = path;
            this.builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Bounds.CLIENT_TIMEOUT);
        }

        Request bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        Request header(String name, String value) {
            builder.header(name, value);
            return this;
        }

        Request json(Object value) {
            builder.header("Content-Type", "application/json");
            try {
                body = value instanceof String text ? text : JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
            return this;
        }

        HttpRequest build() {
            return builder.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)).build();
        }

        Outcome send() {
            return LoadGenerator.this.send(build(), label);
        }

        @Override
        public String toString() {
            return label + " " + method + " " + path;
        }
    }

    static Map<String, Object> body(Object... pairs) {
        Map<String, Object> map = new java.util.LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put((String) pairs[i], pairs[i + 1]);
        }
        return map;
    }
}
