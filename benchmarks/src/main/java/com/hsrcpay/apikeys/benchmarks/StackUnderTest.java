package com.hsrcpay.apikeys.benchmarks;

import com.hsrcpay.apikeys.embedded.Ports;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The local stack started from its jar in a JVM of its own, on a throw-away data directory and free ports. */
final class StackUnderTest implements AutoCloseable {

    final int apiPort;
    final int kafkaPort;
    final int queryServicePort;
    final int commandServicePort;
    final Path dataDir;
    private final Process process;

    private StackUnderTest(int apiPort, int kafkaPort, int queryServicePort, int commandServicePort, Path dataDir,
                           Process process) {
        this.apiPort = apiPort;
        this.kafkaPort = kafkaPort;
        this.queryServicePort = queryServicePort;
        this.commandServicePort = commandServicePort;
        this.dataDir = dataDir;
        this.process = process;
    }

    static StackUnderTest start(Path jar) throws IOException, InterruptedException {
        return start(jar, List.of(), Map.of());
    }

    /** With extra JVM options for the stack (a profiler agent, heap settings). */
    static StackUnderTest start(Path jar, List<String> jvmOptions) throws IOException, InterruptedException {
        return start(jar, jvmOptions, Map.of());
    }

    /** With {@code environment} added to the stack's. */
    static StackUnderTest start(Path jar, Map<String, String> environment) throws IOException, InterruptedException {
        return start(jar, List.of(), environment);
    }

    /**
     * With extra JVM options and {@code environment} added to the stack's. Ports: free ones, or
     * {@code -Dbench.apiPort=}, {@code -Dbench.kafkaPort=}, {@code -Dbench.commandPort=}, {@code -Dbench.queryPort=}
     * on a machine where others pick ports too.
     */
    static StackUnderTest start(Path jar, List<String> jvmOptions, Map<String, String> environment)
            throws IOException, InterruptedException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("No local-stack jar at " + jar + ": run ./mvnw -q -DskipTests package first");
        }
        Path dataDir = Files.createTempDirectory("kms-bench");
        // -Dbench.apiPort= / -Dbench.kafkaPort= / -Dbench.commandPort= / -Dbench.queryPort= pin them (a shared machine)
        int apiPort = Integer.getInteger("bench.apiPort", 0) > 0 ? Integer.getInteger("bench.apiPort") : Ports.freePort();
        int kafkaPort = Integer.getInteger("bench.kafkaPort", 0) > 0 ? Integer.getInteger("bench.kafkaPort") : Ports.freePort();
        Path log = dataDir.resolve("stack.log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("KMS_DATA_DIR", dataDir.toString());
        builder.environment().put("KMS_PORT", Integer.toString(apiPort));
        builder.environment().put("KMS_KAFKA_PORT", Integer.toString(kafkaPort));
        // the services' own ports (8081, 8082 by default): free ones, read from the ready line
        builder.environment().put("KMS_COMMAND_PORT", Integer.toString(Integer.getInteger("bench.commandPort", 0)));
        builder.environment().put("KMS_QUERY_PORT", Integer.toString(Integer.getInteger("bench.queryPort", 0)));
        builder.environment().remove("KMS_AUTH_JWT_HMAC_SECRET");
        builder.environment().putAll(environment);
        Process process = builder.start();
        // a harness stopped by Ctrl-C or a timeout takes its stack (and the stack its PostgreSQL) with it
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroy, "stop-stack-under-test"));
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (!Files.readString(log).contains("KMS local stack ready")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IllegalStateException("The local stack did not start; see " + log);
            }
            TimeUnit.MILLISECONDS.sleep(200); // waiting for a child process to print its ready line
        }
        Matcher query = Pattern.compile("query-service on port (\\d+)")
                .matcher(Files.readString(log));
        int queryServicePort = query.find() ? Integer.parseInt(query.group(1)) : apiPort;
        Matcher commandPort = Pattern.compile("command-service on port (\\d+)")
                .matcher(Files.readString(log));
        int commandServicePort = commandPort.find() ? Integer.parseInt(commandPort.group(1)) : apiPort;
        return new StackUnderTest(apiPort, kafkaPort, queryServicePort, commandServicePort, dataDir, process);
    }

    long pid() {
        return process.pid();
    }

    String token() throws IOException {
        return Files.readString(dataDir.resolve("dev-token")).trim();
    }

    /**
     * {@code count} credentials of the developer's account, each a client of its own: the developer token's claims
     * under another subject, signed with the stack's JWT secret (the gateway's write turns are per credential).
     */
    List<String> clientTokens(int count) throws IOException {
        try {
            JWTClaimsSet dev = SignedJWT.parse(token()).getJWTClaimsSet();
            byte[] secret = Files.readString(dataDir.resolve("jwt-hmac-secret")).trim().getBytes(StandardCharsets.UTF_8);
            List<String> tokens = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256),
                        new JWTClaimsSet.Builder(dev).subject("bench-client-" + i).build());
                jwt.sign(new MACSigner(secret));
                tokens.add(jwt.serialize());
            }
            return tokens;
        } catch (ParseException | JOSEException e) {
            throw new IllegalStateException("Client tokens could not be made from the dev token", e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
