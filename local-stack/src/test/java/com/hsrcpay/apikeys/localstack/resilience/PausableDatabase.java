package com.hsrcpay.apikeys.localstack.resilience;

import com.hsrcpay.apikeys.embedded.DurablePostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A PostgreSQL server of its own (so suspending it affects nothing else in the JVM) that can be suspended and resumed
 * while clients keep going: every process of the server stops being scheduled, its sockets stay open, connections
 * and statements hang — what a stalled database looks like to its clients. With Docker ({@code KMS_TEST_INFRA=docker})
 * a Testcontainers PostgreSQL is {@code docker pause}d; otherwise an embedded server (zonky binaries, via
 * {@link DurablePostgres}) gets SIGSTOP on its postmaster and every child (SIGCONT to resume).
 */
abstract class PausableDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PausableDatabase.class);

    abstract String jdbcUrl();

    abstract String username();

    abstract String password();

    abstract void pause();

    abstract void resume();

    @Override
    public abstract void close();

    static PausableDatabase start(Path dataDir) {
        String infra = System.getProperty("kms.test.infra", System.getenv().getOrDefault("KMS_TEST_INFRA", "auto"));
        if ("docker".equalsIgnoreCase(infra)
                || ("auto".equalsIgnoreCase(infra) && DockerClientFactory.instance().isDockerAvailable())) {
            return new Container();
        }
        return new Embedded(DurablePostgres.start(dataDir, 0));
    }

    /** The embedded server: signals to the postmaster (pid in {@code postmaster.pid}) and its descendants. */
    static final class Embedded extends PausableDatabase {
        private final DurablePostgres postgres;
        private List<Long> paused = List.of();

        Embedded(DurablePostgres postgres) {
            this.postgres = postgres;
        }

        @Override
        String jdbcUrl() {
            return postgres.jdbcUrl();
        }

        @Override
        String username() {
            return postgres.username();
        }

        @Override
        String password() {
            return postgres.password();
        }

        @Override
        synchronized void pause() {
            long postmaster = postmasterPid(postgres.dataDirectory());
            // the postmaster first, so it forks no new backend between the listing and the signal
            signal("STOP", List.of(postmaster));
            List<Long> all = new ArrayList<>(List.of(postmaster));
            ProcessHandle.of(postmaster).orElseThrow().descendants().forEach(p -> all.add(p.pid()));
            signal("STOP", all);
            paused = all;
            log.info("PostgreSQL suspended: SIGSTOP to {} processes {}", all.size(), all);
        }

        @Override
        synchronized void resume() {
            if (paused.isEmpty()) {
                return;
            }
            List<Long> children = new ArrayList<>(paused);
            signal("CONT", children);
            log.info("PostgreSQL resumed: SIGCONT to {} processes", children.size());
            paused = List.of();
        }

        @Override
        public void close() {
            resume();
            postgres.close();
        }

        /** The first line of {@code postmaster.pid} in the data directory. */
        static long postmasterPid(Path dataDirectory) {
            try {
                return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid")).get(0).trim());
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException("no postmaster.pid in " + dataDirectory, e);
            }
        }

        static void signal(String signal, List<Long> pids) {
            List<String> command = new ArrayList<>(List.of("kill", "-" + signal));
            pids.forEach(pid -> command.add(Long.toString(pid)));
            try {
                Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
                if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", command) + " failed: "
                            + new String(kill.getInputStream().readAllBytes()));
                }
            } catch (IOException e) {
                throw new IllegalStateException(String.join(" ", command) + " could not run", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    /** A Testcontainers PostgreSQL of its own: {@code docker pause} / {@code docker unpause}. Not run on our machines. */
    static final class Container extends PausableDatabase {
        private final PostgreSQLContainer<?> container =
                new PostgreSQLContainer<>(DockerImageName.parse("postgres:17-alpine")).withDatabaseName("kms");

        Container() {
            container.start();
        }

        @Override
        String jdbcUrl() {
            return container.getJdbcUrl();
        }

        @Override
        String username() {
            return container.getUsername();
        }

        @Override
        String password() {
            return container.getPassword();
        }

        @Override
        void pause() {
            DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
        }

        @Override
        void resume() {
            DockerClientFactory.instance().client().unpauseContainerCmd(container.getContainerId()).exec();
        }

        @Override
        public void close() {
            container.stop();
        }
    }
}
