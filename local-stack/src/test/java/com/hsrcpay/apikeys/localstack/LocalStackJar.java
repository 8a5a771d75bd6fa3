package com.hsrcpay.apikeys.localstack;

import com.hsrcpay.apikeys.embedded.Ports;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

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

    /**
     * Starts the jar as {@link #start} does, on free ports for these variables (e.g. {@code KMS_PORT}). A port found
     * free is only free until the stack binds it: another test JVM or an outgoing connection may take it in between.
     * A start refused for a port in use is therefore tried again on new ports, at most three times.
     */
    static Started startOnFreePorts(Map<String, String> settings, List<String> portVariables, Path log)
            throws IOException {
        return startOnFreePorts(settings, portVariables, log, Ports::freePort);
    }

    /** As above, with the ports from {@code ports}, each a new one (a test hands out a taken one first). */
    static Started startOnFreePorts(Map<String, String> settings, List<String> portVariables, Path log,
                                    IntSupplier ports) throws IOException {
        for (int attempt = 1; ; attempt++) {
            Map<String, String> picked = new LinkedHashMap<>();
            for (String variable : portVariables) {
                // Ports.freePort never hands out a port twice
                picked.put(variable, Integer.toString(ports.getAsInt()));
            }
            Map<String, String> all = new HashMap<>(settings);
            all.putAll(picked);
            try {
                return new Started(start(all, log), picked, attempt);
            } catch (AssertionError | RuntimeException refused) {
                if (attempt == 3 || !Files.readString(log).contains("already in use")) {
                    throw refused;
                }
            }
        }
    }

    /** A started stack, the ports it was given and how many starts that took. */
    record Started(Process process, Map<String, String> ports, int attempts) {
        int port(String variable) {
            return Integer.parseInt(ports.get(variable));
        }
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
}
