package com.hsrcpay.apikeys.localstack.resilience;

import com.hsrcpay.apikeys.embedded.Ports;
import com.hsrcpay.apikeys.localstack.LocalStack;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The local stack as an operator runs it: {@link LocalStack}'s main in a JVM of its own (this JVM's class path, so
 * it needs no packaged jar), on a data directory that outlives the process. {@link #terminate()} is SIGTERM (what
 * Ctrl-C or a container stop sends), {@link #crash()} is SIGKILL; a new process on the same directory and ports is
 * the restart.
 */
final class LocalStackProcess implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalStackProcess.class);
    private static final Pattern PORTS = Pattern.compile("command-service on port (\\d+), query-service on port (\\d+)");

    /** Ports and data directory that stay the same across restarts. */
    record Site(Path dataDir, int apiPort, int kafkaPort, int postgresPort) {

        static Site in(Path dataDir) {
            return new Site(dataDir, Ports.freePort(), Ports.freePort(), Ports.freePort());
        }

        String jdbcUrl() {
            return "jdbc:postgresql://localhost:" + postgresPort + "/kms";
        }

        String bootstrapServers() {
            return "localhost:" + kafkaPort;
        }

        JdbcTemplate jdbc() {
            PGSimpleDataSource dataSource = new PGSimpleDataSource();
            dataSource.setUrl(jdbcUrl());
            dataSource.setUser("postgres"); // trust authentication
            return new JdbcTemplate(dataSource);
        }
    }

    private final Site site;
    private final Process process;
    private final Path logFile;
    private final int commandPort;
    private final int queryPort;

    private LocalStackProcess(Site site, Process process, Path logFile, int commandPort, int queryPort) {
        this.site = site;
        this.process = process;
        this.logFile = logFile;
        this.commandPort = commandPort;
        this.queryPort = queryPort;
    }

    static LocalStackProcess start(Site site, String logName) {
        Path logFile = site.dataDir().resolve(logName);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-Dkms.auth.guard.max-failures=100000",
                "-cp", System.getProperty("java.class.path"), LocalStack.class.getName())
                .redirectErrorStream(true).redirectOutput(logFile.toFile());
        builder.environment().put("KMS_DATA_DIR", site.dataDir().toString());
        builder.environment().put("KMS_PORT", Integer.toString(site.apiPort()));
        builder.environment().put("KMS_KAFKA_PORT", Integer.toString(site.kafkaPort()));
        builder.environment().put("KMS_PG_PORT", Integer.toString(site.postgresPort()));
        // the services' own ports (8081, 8082 by default): free ones, read from the ready line
        builder.environment().put("KMS_COMMAND_PORT", "0");
        builder.environment().put("KMS_QUERY_PORT", "0");
        builder.environment().put("KMS_AUTH_JWT_HMAC_SECRET", TestJwts.HMAC_SECRET);
        long started = System.nanoTime();
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] ready = new String[1];
        try {
            await("local stack ready (" + logFile + ")").atMost(Duration.ofMinutes(3))
                    .pollInterval(Duration.ofMillis(200)).until(() -> {
                        assertThat(process.isAlive()).as("the stack exited early; see " + logFile).isTrue();
                        String text = Files.readString(logFile);
                        Matcher ports = PORTS.matcher(text);
                        if (text.contains("KMS local stack ready") && ports.find()) {
                            ready[0] = ports.group(1) + " " + ports.group(2);
                            return true;
                        }
                        return false;
                    });
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        String[] ports = ready[0].split(" ");
        log.info("Local stack process {} ready in {} ms on {} (log {})", process.pid(),
                (System.nanoTime() - started) / 1_000_000, site, logFile);
        return new LocalStackProcess(site, process, logFile, Integer.parseInt(ports[0]), Integer.parseInt(ports[1]));
    }

    Site site() {
        return site;
    }

    int apiPort() {
        return site.apiPort();
    }

    int commandPort() {
        return commandPort;
    }

    int queryPort() {
        return queryPort;
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM; returns at once (the process stops in the background). */
    void terminate() {
        process.destroy();
    }

    /** Waits for the process to exit; its exit code. */
    int awaitExit(Duration atMost) {
        try {
            assertThat(process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS))
                    .as("local stack exited within %s (log %s)", atMost, logFile).isTrue();
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL, as a crash or an OOM killer would: no shutdown hook runs; PostgreSQL is left running, orphaned. */
    void crash() {
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
    }

    /** Stops the process (forcibly if it is still running) and any PostgreSQL server it left on its data directory. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopOrphanedPostgres(site.dataDir().resolve("postgres"));
    }

    static void stopOrphanedPostgres(Path pgData) {
        if (!Files.exists(pgData.resolve("postmaster.pid"))) {
            return;
        }
        long pid = PausableDatabase.Embedded.postmasterPid(pgData);
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(postmaster -> {
            log.info("Stopping the PostgreSQL server (pid {}) a crashed local stack left running", pid);
            PausableDatabase.Embedded.signal("INT", List.of(pid)); // fast shutdown
            try {
                postmaster.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                postmaster.destroyForcibly();
            }
        });
    }
}
