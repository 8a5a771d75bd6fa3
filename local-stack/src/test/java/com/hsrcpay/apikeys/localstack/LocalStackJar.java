package com.hsrcpay.apikeys.localstack;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The repackaged jar, started as the README's run command starts it, in a JVM of its own: for the jar tests. */
final class LocalStackJar {

    private LocalStackJar() {
    }

    /** The jar failsafe names after package; a test that needs it fails without it rather than passing unrun. */
    static String path() {
        String jar = System.getProperty("localStackJar");
        assertThat(jar).as("the repackaged jar, which failsafe names after package").isNotNull();
        return jar;
    }

    /**
     * Starts the jar with these settings (its environment: {@code KMS_DATA_DIR}, ports…) and nothing of this JVM's
     * JWT secret, writing its output to {@code log}, and returns once it says it is ready.
     */
    static Process start(Map<String, String> settings, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // C1 only, as the other test JVMs (the root pom's argLine): it starts sooner and changes no behaviour
        ProcessBuilder builder = new ProcessBuilder(java, "-XX:TieredStopAtLevel=1", "-jar", path())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().remove("KMS_AUTH_JWT_HMAC_SECRET");
        builder.environment().putAll(settings);
        Process process = builder.start();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(250)).until(() -> {
            // the log's own directory is usually a test's temporary one, gone by the time the report is read
            assertThat(process.isAlive()).as(() -> "the stack exited early; the end of " + log + ":\n"
                    + String.join("\n", lastLines(log, 40))).isTrue();
            return Files.readString(log).contains("KMS local stack ready");
        });
        return process;
    }

    private static List<String> lastLines(Path log, int count) {
        try {
            List<String> lines = Files.readAllLines(log);
            return lines.subList(Math.max(0, lines.size() - count), lines.size());
        } catch (IOException e) {
            return List.of("(unreadable: " + e + ")");
        }
    }

    /** SIGTERM, as Ctrl-C would: the shutdown hook stops everything in order. */
    static void stop(Process process) throws InterruptedException {
        process.destroy();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
