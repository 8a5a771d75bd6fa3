package com.hsrcpay.apikeys.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Where the CPU of the local stack goes, per kind of request: async-profiler (from Maven Central, attached to the
 * running stack with {@code jcmd}, CPU samples every millisecond, per thread) while wrk keeps one kind of request
 * going; the samples are then sorted into the stages of issue 17 (HTTP, JWT, command bus, aggregate, serializer,
 * chain digest, insert, processors, Kafka, the key-change feed, the gateway's client, the JIT), each as a share of
 * all samples of the JVM. A sample counts for every stage on its stack, so shares overlap (a processor's insert is
 * in both); "other" is what no stage names. The collapsed stacks are kept for a flame graph.
 * <pre>java -cp "benchmarks/target/benchmarks.jar:benchmarks/target/lib/*" \
 *     com.hsrcpay.apikeys.benchmarks.CpuProfileBenchmark [seconds=15] [scenario=create|delete|verify|liveness|gateway-whoami|gateway-verify]</pre>
 */
public final class CpuProfileBenchmark {

    private static final String READ_KEY = "{\"name\":\"bench\",\"permissions\":{\"account:api:key\":[\"read\"]}}";

    /** Stage name -> does a stack (frames joined by ';', thread first) belong to it. */
    private static final Map<String, Predicate<String>> STAGES = new LinkedHashMap<>();

    static {
        STAGES.put("HTTP: Tomcat parsing and writing", s -> s.contains("org/apache/coyote/"));
        STAGES.put("HTTP: Spring MVC dispatch", s -> s.contains("DispatcherServlet.doDispatch"));
        STAGES.put("JSON (Jackson, requests and answers)", s -> s.contains("com/fasterxml/jackson")
                && s.contains("DispatcherServlet"));
        STAGES.put("security filters (Spring Security)", s -> s.contains("FilterChainProxy"));
        STAGES.put("JWT (Nimbus)", s -> s.contains("com/nimbusds/"));
        STAGES.put("secret keys as credentials (lookup, SHA-256)", s -> s.contains("SecretKeyCallers"));
        STAGES.put("command bus (Axon)", s -> s.contains("org/axonframework/commandhandling"));
        STAGES.put("aggregate (ApiKey, its fold)", s -> s.contains("command/key/model/ApiKey"));
        STAGES.put("event serializer (Jackson)", s -> s.contains("org/axonframework/serialization")
                || s.contains("JacksonSerializer"));
        STAGES.put("chain digest (EventChain)", s -> s.contains("shared/chain/EventChain"));
        STAGES.put("event store append (insert)", s -> s.contains("appendEvents"));
        STAGES.put("JDBC driver (all statements)", s -> s.contains("org/postgresql/"));
        STAGES.put("connection pool (Hikari)", s -> s.contains("com/zaxxer/hikari"));
        STAGES.put("event processors (all)", s -> s.contains("org/axonframework/eventhandling/pooled")
                || s.contains("WorkPackage"));
        STAGES.put("  key-list projection", s -> s.contains("query/key/projection"));
        STAGES.put("  revocation list", s -> s.contains("query/revocation"));
        STAGES.put("  Kafka publisher", s -> s.contains("query/publishing"));
        STAGES.put("  transparency log", s -> s.contains("query/transparency"));
        STAGES.put("Kafka client and broker (in process)", s -> s.contains("org/apache/kafka")
                || s.contains("kafka/"));
        STAGES.put("key-change feed (cache eviction)", s -> s.contains("KeyChangeFeed"));
        STAGES.put("gateway: Apache HttpClient to the services", s -> s.contains("org/apache/hc/client5"));
        STAGES.put("gateway: ProxyServlet", s -> s.contains("gateway/ProxyServlet"));
        STAGES.put("logging", s -> s.contains("ch/qos/logback") || s.contains("org/slf4j"));
        STAGES.put("metrics and observations (Micrometer)", s -> s.contains("io/micrometer"));
        STAGES.put("JIT compiler threads", s -> s.startsWith("[C1 CompilerThre") || s.startsWith("[C2 CompilerThre"));
        STAGES.put("GC threads", s -> s.startsWith("[GC Thread") || s.startsWith("[VM Thread"));
    }

    private CpuProfileBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0].replace("seconds=", "")) : 15;
        String scenario = args.length > 1 ? args[1].replace("scenario=", "") : "create";
        Wrk.requireInstalled();
        Path profiler = profilerLibrary();
        Path jar = Path.of(System.getProperty("localStackJar", "local-stack/target/local-stack.jar"));
        System.out.printf("Starting the local stack from %s ...%n", jar);
        try (StackUnderTest stack = StackUnderTest.start(jar)) {
            String token = stack.token();
            String api = "http://localhost:" + stack.apiPort;
            // writes on the command service's own port: through the API port one credential has three write turns
            String command = "http://localhost:" + stack.commandServicePort;
            String url;
            Path script;
            switch (scenario) {
                case "create" -> {
                    url = command + "/v1/api-keys/?account_id=acct_dev";
                    script = Wrk.script("POST", token, READ_KEY);
                }
                case "verify" -> {
                    url = "http://localhost:" + stack.queryServicePort + "/v1/keys/verify";
                    script = Wrk.script("POST", token, "{\"key\":\"" + BenchmarkKeys.create(command, token, READ_KEY)
                            .plaintext() + "\"}");
                }
                case "liveness" -> {
                    url = "http://localhost:" + stack.queryServicePort + "/actuator/health/liveness";
                    script = Wrk.script("GET", null, null);
                }
                case "gateway-whoami" -> {
                    url = api + "/v1/whoami";
                    script = Wrk.script("GET", token, null);
                }
                case "gateway-verify" -> {
                    url = api + "/v1/keys/verify";
                    script = Wrk.script("POST", token, "{\"key\":\"" + BenchmarkKeys.create(command, token, READ_KEY)
                            .plaintext() + "\"}");
                }
                case "delete" -> {
                    int keys = 1_000 * seconds;
                    System.out.printf("Creating %,d keys to delete ...%n", keys);
                    List<String> ids = BenchmarkKeys.createMany(command, token, READ_KEY, keys);
                    url = command;
                    script = BenchmarkKeys.deleteScript(token, ids);
                }
                default -> throw new IllegalArgumentException("unknown scenario " + scenario);
            }
            Path warm = "delete".equals(scenario) ? null : script;
            if (warm != null) {
                Wrk.run(url, warm, 2, 16, 5, false); // compiled before it is profiled
            }
            Path collapsed = stack.dataDir.resolve("profile-" + scenario + ".collapsed");
            jcmd(stack.pid(), profiler, "start,event=cpu,interval=1ms,threads");
            Wrk.Result load = Wrk.run(url, script, 2, 16, seconds, false);
            jcmd(stack.pid(), profiler, "stop,file=" + collapsed + ",collapsed");
            Path kept = Path.of("benchmarks", "target", collapsed.getFileName().toString());
            Files.createDirectories(kept.getParent());
            Files.copy(collapsed, kept, StandardCopyOption.REPLACE_EXISTING);
            report(scenario, load, kept);
        }
    }

    private static void report(String scenario, Wrk.Result load, Path collapsed) throws IOException {
        Map<String, Long> byThreads = new java.util.TreeMap<>();
        Map<String, Long> byStage = new LinkedHashMap<>();
        STAGES.keySet().forEach(stage -> byStage.put(stage, 0L));
        long total = 0;
        long other = 0;
        for (String line : Files.readAllLines(collapsed, StandardCharsets.UTF_8)) {
            int space = line.lastIndexOf(' ');
            String stack = line.substring(0, space);
            long samples = Long.parseLong(line.substring(space + 1));
            total += samples;
            byThreads.merge(threadGroup(stack), samples, Long::sum);
            boolean named = false;
            for (Map.Entry<String, Predicate<String>> stage : STAGES.entrySet()) {
                if (stage.getValue().test(stack)) {
                    byStage.merge(stage.getKey(), samples, Long::sum);
                    named = true;
                }
            }
            if (!named) {
                other += samples;
            }
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "CPU profile, scenario %s, %s%n", scenario,
                load.line("under wrk 2 threads, 16 connections:").trim());
        System.out.printf(Locale.ROOT, "%,d samples of 1 ms CPU in the stack's JVM (PostgreSQL's processes are "
                + "not in it); share of all samples, stages overlap:%n", total);
        for (Map.Entry<String, Long> stage : byStage.entrySet()) {
            System.out.printf(Locale.ROOT, "  %-48s %5.1f %%%n", stage.getKey(), 100.0 * stage.getValue() / total);
        }
        System.out.printf(Locale.ROOT, "  %-48s %5.1f %%%n", "other (named by no stage)", 100.0 * other / total);
        System.out.println("By thread (numbers folded, so a pool is one line), at least 0.5 %:");
        long all = total;
        byThreads.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .filter(group -> group.getValue() * 200 >= all)
                .forEach(group -> System.out.printf(Locale.ROOT, "  %-70s %5.1f %%%n", group.getKey(),
                        100.0 * group.getValue() / all));
        System.out.println("Collapsed stacks (for a flame graph): " + collapsed);
    }

    /** The sample's thread, its numbers folded: "[http-nio-127.0.0.1-auto-1-exec-9 tid=25714]" -> "http-nio-N.N.N.N-auto-N-exec-N". */
    private static String threadGroup(String stack) {
        String thread = stack.substring(0, Math.max(0, stack.indexOf(';') < 0 ? stack.length() : stack.indexOf(';')));
        return thread.replaceAll(" tid=\\d+]$", "").replaceFirst("^\\[", "").replaceAll("\\d+", "N");
    }

    private static void jcmd(long pid, Path library, String options) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        // the agent's options quoted once more: jcmd would otherwise read "event=cpu" as an argument of its own
        Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "JVMTI.agent_load",
                library.toString(), "\"" + options + "\"").redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 || !out.contains("return code: 0")) {
            throw new IllegalStateException("async-profiler refused '" + options + "': " + out);
        }
    }

    /** libasyncProfiler.so of this machine, out of the async-profiler jar (on the class path). */
    private static Path profilerLibrary() throws IOException {
        String arch = System.getProperty("os.arch").contains("aarch64") ? "linux-arm64" : "linux-x64";
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux")) {
            throw new IllegalStateException("This harness attaches async-profiler's Linux library");
        }
        try (InputStream library = CpuProfileBenchmark.class.getResourceAsStream("/" + arch + "/libasyncProfiler.so")) {
            if (library == null) {
                throw new IllegalStateException("async-profiler is not on the class path (benchmarks/target/lib)");
            }
            Path file = Files.createTempFile("libasyncProfiler", ".so");
            Files.copy(library, file, StandardCopyOption.REPLACE_EXISTING);
            file.toFile().deleteOnExit();
            return file;
        }
    }
}
