package com.hsrcpay.apikeys.benchmarks;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The local stack started from its jar in a JVM of its own, on a throw-away data directory and free ports. */
final class StackUnderTest implements AutoCloseable {

    final int apiPort;
    final int kafkaPort;
    final int queryServicePort;
    final Path dataDir;
    private final Process process;

    private StackUnderTest(int apiPort, int kafkaPort, int queryServicePort, Path dataDir, Process process) {
        this.apiPort = apiPort;
        this.kafkaPort = kafkaPort;
        this.queryServicePort = queryServicePort;
        this.dataDir = dataDir;
        this.process = process;
    }

    static StackUnderTest start(Path jar) throws IOException, InterruptedException {
        return start(jar, Map.of());
    }

    /**
     * With {@code environment} added to the stack's. Ports: free ones, or {@code -DapiPort=}, {@code -DkafkaPort=},
     * {@code -DcommandPort=}, {@code -DqueryPort=} on a machine where others pick ports too.
     */
    static StackUnderTest start(Path jar, Map<String, String> environment) throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No local-stack jar at " + jar + ": run ./mvnw -q -DskipTests package first");
        }
        Path dataDir = Files.createTempDirectory("kms-bench");
        int apiPort = Integer.getInteger("apiPort", freePort());
        int kafkaPort = Integer.getInteger("kafkaPort", freePort());
        Path log = dataDir.resolve("stack.log");
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KMS_DATA_DIR", dataDir.toString());
        builder.environment().put("KMS_PORT", Integer.toString(apiPort));
        builder.environment().put("KMS_KAFKA_PORT", Integer.toString(kafkaPort));
        // the services' own ports (8081, 8082 by default): free ones, read from the ready line
        builder.environment().put("KMS_COMMAND_PORT", System.getProperty("commandPort", "0"));
        builder.environment().put("KMS_QUERY_PORT", System.getProperty("queryPort", "0"));
        builder.environment().remove("KMS_AUTH_JWT_HMAC_SECRET");
        builder.environment().putAll(environment);
        Process process = builder.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.readString(log).contains("KMS local stack ready")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("The local stack did not start; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(200); // waiting for a child process to print its ready line
        }
        java.util.regex.Matcher query = java.util.regex.Pattern.compile("query-service on port (\\d+)")
                .matcher(Files.readString(log));
        int queryServicePort = query.find() ? Integer.parseInt(query.group(1)) : apiPort;
        return new StackUnderTest(apiPort, kafkaPort, queryServicePort, dataDir, process);
    }

    String token() throws IOException {
        return Files.readString(dataDir.resolve("dev-token")).trim();
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
