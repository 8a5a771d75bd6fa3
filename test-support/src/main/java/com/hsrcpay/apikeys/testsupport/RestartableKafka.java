package com.hsrcpay.apikeys.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

import com.hsrcpay.apikeys.embedded.InProcessKafka;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka broker of its own for outage tests: {@link #stop()} takes it down (port closed, data kept) and
 * {@link #restart()} brings it back on the same port with the same topics, records and committed offsets.
 *
 * <p>Not the JVM-wide broker of {@link TestKafka}: stopping that one would break every other test. Each instance is
 * an {@link InProcessKafka} (KRaft, in this JVM) on a temporary data directory; its port is chosen once, at
 * {@link #start()}, so {@link #bootstrapServers()} stays valid across restarts and clients configured before an
 * outage reconnect by themselves. Use it in try-with-resources (or close it in {@code @AfterAll}): {@link #close()}
 * stops the broker and deletes the data directory.
 *
 * <p>Between {@link #stop()} and {@link #restart()} the port is free, so another process could take it; the restart
 * then fails with an {@link IllegalStateException} naming the port.
 */
public final class RestartableKafka implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RestartableKafka.class);

    private final Path dataDirectory;

    private final int port;

    /** The running broker, {@code null} while stopped. */
    private InProcessKafka broker;

    private boolean closed;

    private RestartableKafka(Path dataDirectory, InProcessKafka broker) {
        this.dataDirectory = dataDirectory;
        this.port = broker.port();
        this.broker = broker;
    }

    /**
     * Starts a new broker on a fresh temporary data directory and a free port, which it keeps for its lifetime.
     *
     * @throws IllegalStateException if the broker cannot be started (the temporary directory is removed again)
     */
    public static RestartableKafka start() {
        Path dataDirectory;
        try {
            dataDirectory = Files.createTempDirectory("restartable-kafka-");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create a temporary directory for a restartable Kafka broker", ex);
        }
        try {
            // port 0: the broker binds a free port itself, no gap between choosing the port and binding it
            return new RestartableKafka(dataDirectory, InProcessKafka.start(dataDirectory, 0));
        }
        catch (RuntimeException ex) {
            deleteQuietly(dataDirectory, ex);
            throw ex;
        }
    }

    /** {@code localhost:<port>}; the same before, during and after an outage. */
    public String bootstrapServers() {
        return "localhost:" + port;
    }

    /** Whether the broker is up (started and neither stopped nor closed since). */
    public synchronized boolean isRunning() {
        return broker != null;
    }

    /**
     * Takes the broker down (controlled shutdown, logs flushed) and waits until its port is closed. The data stays for
     * {@link #restart()}. Does nothing if it is already stopped.
     *
     * @throws IllegalStateException if this broker was closed
     */
    public synchronized void stop() {
        requireOpen();
        stopBroker();
    }

    /**
     * Starts the broker again on the same port and data directory, stopping it first if it is running; returns once it
     * serves. Topics, records and committed offsets written before are still there.
     *
     * @throws IllegalStateException if this broker was closed, or the broker cannot start (e.g. the port was taken
     *                               while it was down)
     */
    public synchronized void restart() {
        requireOpen();
        stopBroker();
        broker = InProcessKafka.start(dataDirectory, port);
    }

    /** Stops the broker and deletes its data directory. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            stopBroker();
        }
        finally {
            deleteQuietly(dataDirectory, null);
        }
    }

    @Override
    public synchronized String toString() {
        return "RestartableKafka[" + bootstrapServers() + ", " + (closed ? "closed" : broker != null ? "running" : "stopped")
                + ", " + dataDirectory + "]";
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("RestartableKafka at " + bootstrapServers() + " is closed");
        }
    }

    private void stopBroker() {
        if (broker != null) {
            InProcessKafka stopping = broker;
            broker = null;
            stopping.close();
        }
    }

    private static void deleteQuietly(Path directory, Exception primary) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
        catch (IOException | UncheckedIOException ex) {
            if (primary != null) {
                primary.addSuppressed(ex);
            }
            else {
                LOG.warn("Could not delete the data directory {} of a restartable Kafka broker", directory, ex);
            }
        }
    }
}
