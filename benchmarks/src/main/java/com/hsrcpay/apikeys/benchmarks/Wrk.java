package com.hsrcpay.apikeys.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * wrk (C, one event loop per thread; {@code apt-get install -y wrk}) as the load generator of the HTTP harnesses, so
 * the service is what is measured, not a JVM client. Its latency percentiles come from its own histogram
 * ({@code --latency}).
 */
final class Wrk {

    private static final Pattern RATE = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern REQUESTS = Pattern.compile("(\\d+) requests in");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+(\\d+)");

    private Wrk() {
    }

    /** One run's figures; {@code non2xx} counts answers outside 2xx/3xx (wrk's own count). */
    record Result(double requestsPerSecond, long requests, long non2xx, double p50Millis, double p99Millis) {

        String line(String label) {
            return String.format(Locale.ROOT, "%-52s %,10.0f req/s  p50=%7.2f ms  p99=%7.2f ms", label,
                    requestsPerSecond, p50Millis, p99Millis);
        }
    }

    static void requireInstalled() throws InterruptedException {
        try {
            Process probe = new ProcessBuilder("wrk", "--version").redirectErrorStream(true).start();
            probe.getInputStream().readAllBytes();
            probe.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException("This harness needs wrk on the PATH: apt-get install -y wrk", e);
        }
    }

    /** A Lua script for wrk: one method, headers and body for every request. */
    static Path script(String method, String token, String body) throws IOException {
        StringBuilder lua = new StringBuilder("wrk.method = \"" + method + "\"\n");
        if (token != null) {
            lua.append("wrk.headers[\"Authorization\"] = \"Bearer ").append(token).append("\"\n");
        }
        if (body != null) {
            lua.append("wrk.headers[\"Content-Type\"] = \"application/json\"\n")
                    .append("wrk.body = '").append(body).append("'\n");
        }
        return luaFile(lua.toString());
    }

    static Path luaFile(String lua) throws IOException {
        Path script = Files.createTempFile("wrk-", ".lua");
        Files.writeString(script, lua, StandardCharsets.UTF_8);
        script.toFile().deleteOnExit();
        return script;
    }

    /** One wrk run; refuses a run with socket errors, and with non-2xx answers unless {@code allowNon2xx}. */
    static Result run(String url, Path script, int threads, int connections, int seconds, boolean allowNon2xx)
            throws IOException, InterruptedException {
        return run(List.of(), List.of(), url, script, threads, connections, seconds, allowNon2xx);
    }

    /**
     * The same, wrk started through {@code launcher} (e.g. {@code taskset -c 2-3}, to keep it off some cores) with
     * {@code options} of its own (e.g. {@code --timeout 30s}).
     */
    static Result run(List<String> launcher, List<String> options, String url, Path script, int threads,
                      int connections, int seconds, boolean allowNon2xx) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(launcher);
        command.addAll(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--latency"));
        command.addAll(options);
        command.addAll(List.of("-s", script.toString(), url));
        Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher non2xx = NON_2XX.matcher(out);
        long refused = non2xx.find() ? Long.parseLong(non2xx.group(1)) : 0;
        if (wrk.waitFor() != 0 || out.contains("Socket errors") || (refused > 0 && !allowNon2xx)) {
            throw new IllegalStateException("wrk run against " + url + " failed or saw errors:\n" + out);
        }
        Matcher rate = RATE.matcher(out);
        Matcher requests = REQUESTS.matcher(out);
        if (!rate.find() || !requests.find()) {
            throw new IllegalStateException("unreadable wrk output:\n" + out);
        }
        return new Result(Double.parseDouble(rate.group(1)), Long.parseLong(requests.group(1)), refused,
                percentile(out, "50%"), percentile(out, "99%"));
    }

    /**
     * A run in the background, for a harness that ends it itself with {@link Background#interrupt()} (wrk's own
     * duration is fixed, whatever its threads do); a request unanswered after 30 s is given up (wrk's default is 2 s).
     */
    static Background start(String url, Path script, int threads, int connections, int seconds) throws IOException {
        Path out = Files.createTempFile("wrk-", ".out");
        out.toFile().deleteOnExit();
        Process process = new ProcessBuilder("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "30s", "--latency", "-s", script.toString(), url).redirectErrorStream(true)
                .redirectOutput(out.toFile()).start();
        return new Background(process, out);
    }

    /** wrk running in the background; interrupted like Ctrl-C, it stops and prints its summary of what it did. */
    record Background(Process process, Path output) {

        String interrupt() throws IOException, InterruptedException {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
            return Files.readString(output, StandardCharsets.UTF_8);
        }
    }

    static Result run(String url, Path script, int connections, int seconds) throws IOException, InterruptedException {
        return run(url, script, 2, connections, seconds, false);
    }

    private static double percentile(String out, String label) {
        Matcher matcher = Pattern.compile("\\s" + Pattern.quote(label) + "\\s+([0-9.]+)(us|ms|s)\\b").matcher(out);
        if (!matcher.find()) {
            throw new IllegalStateException("no " + label + " latency in wrk's output:\n" + out);
        }
        double value = Double.parseDouble(matcher.group(1));
        return switch (matcher.group(2)) {
            case "us" -> value / 1000;
            case "s" -> value * 1000;
            default -> value;
        };
    }
}
