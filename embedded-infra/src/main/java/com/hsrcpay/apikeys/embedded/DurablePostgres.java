package com.hsrcpay.apikeys.embedded;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.LinuxUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real PostgreSQL server (zonky embedded binaries) whose data directory {@code <dataDir>/postgres} survives restarts.
 *
 * <p>On start the database {@value #DATABASE} is created if it does not exist yet. Authentication is {@code trust}
 * (local connections only), so {@link #password()} is accepted but never checked.
 *
 * <p>The server is a separate OS process: callers must {@link #close()} it (the launcher's shutdown hook, after the
 * services that use it). No JVM shutdown hook is registered here, so shutdown order stays in the caller's hands. If the
 * JVM dies without closing, the next {@link #start} on the same directory stops the orphaned postmaster or removes the
 * stale {@code postmaster.pid} before starting.
 */
public final class DurablePostgres implements AutoCloseable {

    /** Name of the application database ensured on every start. */
    public static final String DATABASE = "kms";

    private static final Logger log = LoggerFactory.getLogger(DurablePostgres.class);

    private static final String SUPERUSER = "postgres";
    private static final String PASSWORD = "postgres";
    /** zonky's per-data-directory lock file; held by the JVM that runs the postmaster. */
    private static final String ZONKY_LOCK_FILE = "epg-lock";
    private static final String PID_FILE = "postmaster.pid";
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration ORPHAN_STOP_WAIT = Duration.ofSeconds(30);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;
    private final int port;
    private final AtomicBoolean closed = new AtomicBoolean();

    private DurablePostgres(EmbeddedPostgres postgres, Path dataDirectory, int port) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
        this.port = port;
    }

    /**
     * Starts PostgreSQL on {@code <dataDir>/postgres} (initialised on first use, kept afterwards) and ensures the
     * database {@value #DATABASE} exists.
     *
     * @param dataDir the stack's data directory; created if missing
     * @param port    TCP port on localhost, or 0 for a free one
     * @throws IllegalStateException if the port is taken, the directory is used by another live process, or
     *                               PostgreSQL fails to start
     */
    public static DurablePostgres start(Path dataDir, int port) {
        long startedAt = System.nanoTime();
        Path pgData = dataDir.resolve("postgres").toAbsolutePath().normalize();
        refuseRootWithoutUnshare();
        prepareDataDirectory(pgData);
        // first, since an orphaned server from a crashed run may still hold the port
        recoverFromUncleanShutdown(pgData);
        int actualPort = Ports.freeOrRequested(port, "PostgreSQL");

        boolean firstStart = !Files.exists(pgData.resolve("postgresql.conf"));
        log.info("Starting PostgreSQL on localhost:{} with {} data directory {}", actualPort,
                firstStart ? "a new" : "the existing", pgData);
        EmbeddedPostgres postgres;
        try {
            postgres = EmbeddedPostgres.builder()
                    .setDataDirectory(pgData)
                    .setCleanDataDirectory(false)
                    .setPort(actualPort)
                    .setRegisterShutdownHook(false)
                    .setPGStartupWait(STARTUP_WAIT)
                    // zonky always passes -F (fsync=off); a durable store wants fsync so an OS crash cannot corrupt it.
                    // synchronous_commit stays off (zonky default): an OS crash may lose the last few hundred ms, never
                    // corrupts, and a JVM crash loses nothing because the server process keeps running.
                    .setServerConfig("fsync", "on")
                    .setServerConfig("max_connections", "100")
                    .start();
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("PostgreSQL failed to start on localhost:" + actualPort + " with data directory "
                    + pgData + ": " + e.getMessage(), e);
        }
        DurablePostgres started = new DurablePostgres(postgres, pgData, actualPort);
        try {
            started.ensureDatabase();
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        log.info("PostgreSQL ready at {} in {} ms", started.jdbcUrl(),
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        return started;
    }

    /** JDBC URL of the {@value #DATABASE} database, e.g. {@code jdbc:postgresql://localhost:5432/kms}. */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    public String username() {
        return SUPERUSER;
    }

    /** Any password is accepted (trust authentication); this one is returned for tools that insist on one. */
    public String password() {
        return PASSWORD;
    }

    public int port() {
        return port;
    }

    /** The PostgreSQL data directory, {@code <dataDir>/postgres}. */
    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (fast shutdown: open sessions are disconnected) and waits for it. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        long startedAt = System.nanoTime();
        try {
            postgres.close();
            log.info("PostgreSQL on port {} stopped in {} ms", port,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        } catch (IOException | RuntimeException e) {
            log.warn("PostgreSQL on port {} did not stop cleanly; the next start will recover it", port, e);
        }
    }

    @Override
    public String toString() {
        return "DurablePostgres[" + jdbcUrl() + ", " + dataDirectory + "]";
    }

    private String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    private void ensureDatabase() {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), SUPERUSER, PASSWORD)) {
            boolean exists;
            try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, DATABASE);
                try (ResultSet rs = query.executeQuery()) {
                    exists = rs.next();
                }
            }
            if (!exists) {
                try (Statement create = connection.createStatement()) {
                    create.execute("CREATE DATABASE " + DATABASE);
                }
                log.info("Created database {}", DATABASE);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL started on port " + port + " but database '" + DATABASE
                    + "' could not be checked or created: " + e.getMessage(), e);
        }
    }

    /** PostgreSQL refuses to run as root; zonky works around it with {@code unshare -U} (runs it as "nobody"). */
    private static void refuseRootWithoutUnshare() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (root && isLinux() && !LinuxUtils.isUnshareAvailable()) {
            throw new IllegalStateException("PostgreSQL refuses to run as root and 'unshare -U' is not available to drop"
                    + " privileges; run the local stack as a regular user");
        }
    }

    private static boolean isLinux() {
        return System.getProperty("os.name", "").toLowerCase().contains("linux");
    }

    private static void prepareDataDirectory(Path pgData) {
        try {
            Files.createDirectories(pgData);
            // postgres insists on 0700 (or 0750) for its data directory; initdb sets it, an existing copy might not have it
            if (Files.getFileStore(pgData).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(pgData, PosixFilePermissions.fromString("rwx------"));
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new IllegalStateException("Cannot prepare PostgreSQL data directory " + pgData + ": " + e, e);
        }
    }

    /**
     * After a JVM crash the postmaster may still run (it is a separate process) or {@code postmaster.pid} may point at a
     * PID reused by an unrelated process; PostgreSQL refuses to start in both cases. zonky's lock file tells whether a
     * live JVM still owns the directory.
     */
    private static void recoverFromUncleanShutdown(Path pgData) {
        Path pidFile = pgData.resolve(PID_FILE);
        if (!Files.exists(pidFile)) {
            return;
        }
        try (FileChannel channel = FileChannel.open(pgData.resolve(ZONKY_LOCK_FILE),
                StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                throw new IllegalStateException("PostgreSQL data directory " + pgData
                        + " is already used by a running DurablePostgres in this JVM");
            }
            if (lock == null) {
                throw new IllegalStateException("PostgreSQL data directory " + pgData
                        + " is in use by another running process (is another local stack running?)");
            }
            try {
                handleStalePidFile(pgData, pidFile);
            } finally {
                lock.release();
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot check PostgreSQL data directory " + pgData + " for a stale server: "
                    + e.getMessage(), e);
        }
    }

    private static void handleStalePidFile(Path pgData, Path pidFile) throws IOException {
        Optional<Long> pid = readPid(pidFile);
        Optional<ProcessHandle> process = pid.flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            log.warn("Removing stale {} (PID {} is not running) left by an unclean shutdown", pidFile,
                    pid.map(String::valueOf).orElse("unreadable"));
            Files.deleteIfExists(pidFile);
            return;
        }
        ProcessHandle handle = process.get();
        if (!isPostmasterOf(handle, pgData)) {
            log.warn("Removing stale {}: its PID {} now belongs to an unrelated process ({})", pidFile, handle.pid(),
                    handle.info().command().orElse("unknown command"));
            Files.deleteIfExists(pidFile);
            return;
        }
        log.warn("An orphaned PostgreSQL server (PID {}) from a previous run still serves {}; stopping it", handle.pid(),
                pgData);
        stopOrphan(handle);
        if (Files.exists(pidFile) && readPid(pidFile).flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).isEmpty()) {
            Files.deleteIfExists(pidFile);
        }
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
            return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isPostmasterOf(ProcessHandle handle, Path pgData) {
        ProcessHandle.Info info = handle.info();
        boolean postgresBinary = info.command()
                .map(command -> Path.of(command).getFileName().toString())
                .map(name -> name.equals("postgres") || name.equals("postgres.exe"))
                .orElse(false);
        if (!postgresBinary) {
            return false;
        }
        // when the arguments are visible, insist on this data directory; when hidden, the binary name must do
        return info.arguments()
                .map(arguments -> String.join(" ", arguments).contains(pgData.toString()))
                .orElse(true);
    }

    private static void stopOrphan(ProcessHandle handle) {
        try {
            // SIGINT = PostgreSQL "fast" shutdown: disconnect sessions, checkpoint, exit
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(handle.pid())).start();
            kill.waitFor(10, TimeUnit.SECONDS);
            handle.onExit().get(ORPHAN_STOP_WAIT.toSeconds(), TimeUnit.SECONDS);
            log.info("Orphaned PostgreSQL server (PID {}) stopped", handle.pid());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while stopping orphaned PostgreSQL PID " + handle.pid(), e);
        } catch (Exception e) {
            log.warn("Orphaned PostgreSQL server (PID {}) did not stop in {}, killing it (crash recovery will run)",
                    handle.pid(), ORPHAN_STOP_WAIT, e);
            handle.destroyForcibly();
            try {
                handle.onExit().get(10, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while killing orphaned PostgreSQL PID " + handle.pid(), ie);
            } catch (Exception ke) {
                throw new IllegalStateException("Could not stop orphaned PostgreSQL server PID " + handle.pid()
                        + "; stop it manually", ke);
            }
        }
    }
}
