package com.hsrcpay.apikeys.localstack;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's shell examples as a new user pastes them: every runnable {@code ```bash} block
 * ({@link ReadmeShellBlocks}), in README order, in one {@code bash -euo pipefail}, against the repackaged jar started
 * in a JVM of its own on a fresh data directory. The examples say {@code ~/.kms-local} and
 * {@code ${KMS_PORT:-8080}}, so bash gets a home of its own whose {@code .kms-local} is the stack's data directory,
 * and the stack's port in {@code KMS_PORT}: the blocks run unchanged.
 */
class ReadmeExamplesIT {

    /** Written by curl after every transfer (the home's .curlrc), whatever the example prints on stdout. */
    private static final Pattern REQUEST = Pattern.compile("readme-curl: (\\d{3}) (\\S+) (\\S+)");
    private static final Pattern BLOCK = Pattern.compile("readme-block: README line (\\d+)");
    private static final Duration SCRIPT_TIMEOUT = Duration.ofMinutes(2);

    @TempDir
    Path dir;

    private Process stack;

    @BeforeEach
    void needsThePackagedJar() {
        LocalStackJar.path();
    }

    @AfterEach
    void stopTheStack() throws InterruptedException {
        if (stack != null && stack.isAlive()) {
            stack.destroy(); // SIGTERM: the shutdown hook also stops the embedded PostgreSQL
            if (!stack.waitFor(60, TimeUnit.SECONDS)) {
                stack.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void theReadmeShellExamplesRunAsWrittenOnAFreshLocalStack() throws Exception {
        List<ReadmeShellBlocks.Block> blocks = ReadmeShellBlocks.ofTheReadme().runnable();
        assertThat(blocks).as("runnable ```bash blocks in the README").isNotEmpty();
        Path home = Files.createDirectories(dir.resolve("home"));
        Path work = Files.createDirectories(dir.resolve("work"));
        // the README's ports are the stack's variables with their defaults; free ones here, as two stacks may run
        Map<String, String> ports = startStack(home.resolve(".kms-local"),
                List.of("KMS_PORT", "KMS_COMMAND_PORT", "KMS_QUERY_PORT"));
        // every request's status on stderr; an example's own -w would replace it, which the count below notices
        Files.writeString(home.resolve(".curlrc"),
                "write-out = \"%{stderr}\\nreadme-curl: %{http_code} %{method} %{url_effective}\\n\"\n");

        StringBuilder script = new StringBuilder();
        for (ReadmeShellBlocks.Block block : blocks) {
            script.append("echo 'readme-block: README line ").append(block.line()).append("' >&2\n").append(block.code());
        }
        Path scriptFile = Files.writeString(dir.resolve("readme-examples.sh"), script);
        Path output = dir.resolve("readme-examples.log");
        ProcessBuilder bash = new ProcessBuilder("bash", "--noprofile", "--norc", "-euo", "pipefail",
                scriptFile.toString()).directory(work.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        // a new user's shell: nothing from this one (no KMS_TOKEN, no curl settings) but the path, the home and the ports
        Map<String, String> env = bash.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path);
        env.put("HOME", home.toString());
        env.putAll(ports);
        Process run = bash.start();
        boolean finished = run.waitFor(SCRIPT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            run.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String log = Files.readString(output);
        LoggerFactory.getLogger(ReadmeExamplesIT.class)
                .info("README examples, as run:\n{}\nTheir output:\n{}", script, log);

        List<String> requests = matches(REQUEST, log, 0);
        List<String> blocksStarted = matches(BLOCK, log, 1);
        String where = "stopped in the block at README line "
                + (blocksStarted.isEmpty() ? "?" : blocksStarted.get(blocksStarted.size() - 1))
                + "; requests so far:\n" + String.join("\n", requests) + "\noutput:\n" + log;
        assertThat(finished).as("the examples finished within %s; %s", SCRIPT_TIMEOUT, where).isTrue();
        assertThat(run.exitValue()).as("bash exit status; %s", where).isZero();
        assertThat(requests).as("every request answered 2xx").allSatisfy(request ->
                assertThat(request).matches("readme-curl: 2\\d\\d .*"));
        int curlCommands = blocks.stream().mapToInt(block -> block.curlCommands().size()).sum();
        assertThat(requests).as("one status line per curl command at least (an example's own -w hides it); %s", where)
                .hasSizeGreaterThanOrEqualTo(curlCommands);
        assertThat(blocksStarted).as("every runnable block ran")
                .containsExactlyElementsOf(blocks.stream().map(block -> Integer.toString(block.line())).toList());
    }

    /** Starts the stack on free ports for these variables and returns them, for the examples' shell. */
    private Map<String, String> startStack(Path dataDir, List<String> portVariables) throws IOException {
        Files.createDirectories(dataDir);
        LocalStackJar.Started started = LocalStackJar.startOnFreePorts(
                Map.of("KMS_DATA_DIR", dataDir.toString(), "KMS_KAFKA_PORT", "0"), portVariables,
                dir.resolve("local-stack.log"));
        stack = started.process();
        return started.ports();
    }

    private static List<String> matches(Pattern pattern, String text, int group) {
        List<String> found = new ArrayList<>();
        Matcher matcher = pattern.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group(group));
        }
        return found;
    }
}
