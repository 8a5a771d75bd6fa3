package com.hsrcpay.apikeys.localstack.hostile;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The suite's figures: requests per endpoint and per port, failures per category, and every offending request
 * with what was wrong, per test (so each test fails listing its own) and for the whole run (logged at the end).
 */
final class Ledger {

    private static final Logger log = LoggerFactory.getLogger(Ledger.class);
    static final int LISTED = 25;

    enum Category {
        SERVER_ERROR("5xx"),
        NOT_THE_ENVELOPE("not the envelope"),
        INTERNAL_NAMES("internal names"),
        CHANGED_STATE("changed state"),
        WRONG_STATUS("wrong status or answer"),
        BREAKS_THE_DOCUMENT("breaks the published OpenAPI document");

        final String label;

        Category(String label) {
            this.label = label;
        }
    }

    /** One request that broke at least one rule. */
    record Offence(String test, HostileRequest request, int status, String body, Set<Category> categories,
                   List<String> details) {

        String describe() {
            return describe(240);
        }

        String describe(int bodyChars) {
            String categoriesText = categories.stream().map(c -> c.label).collect(Collectors.joining(", "));
            String got = status == 0 ? "no answer"
                    : status == RawHttp.NO_STATUS_LINE ? "an HTTP/0.9 answer" : String.valueOf(status);
            return "[" + categoriesText + "] " + request.method + " " + abbreviate(request.target, 120) + " on "
                    + request.port + " | " + request.slot + " = " + abbreviate(request.input, 100) + " | expected "
                    + request.expect.describe() + " | got " + got + " " + abbreviate(body, bodyChars) + " | "
                    + String.join("; ", details);
        }
    }

    private final Map<Endpoint, Map<Port, Long>> requests = new EnumMap<>(Endpoint.class);
    private final Map<String, Long> requestsPerTest = new TreeMap<>();
    private final Map<Category, Long> failures = new EnumMap<>(Category.class);
    private final List<Offence> offences = new ArrayList<>();
    private final List<String> lateChanges = new ArrayList<>();
    private String test = "setup";

    /** Requests and offences from now on belong to {@code name}. */
    void begin(String name) {
        test = name;
    }

    void count(HostileRequest request) {
        requests.computeIfAbsent(request.endpoint, e -> new EnumMap<>(Port.class)).merge(request.port, 1L, Long::sum);
        requestsPerTest.merge(test, 1L, Long::sum);
    }

    void offence(HostileRequest request, int status, String body, EnumSet<Category> categories, List<String> details) {
        categories.forEach(c -> failures.merge(c, 1L, Long::sum));
        offences.add(new Offence(test, request, status, body, categories, List.copyOf(details)));
    }

    long requests() {
        return requests.values().stream().flatMap(m -> m.values().stream()).mapToLong(Long::longValue).sum();
    }

    long requestsWithPrefix(String prefix) {
        return requestsPerTest.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
                .mapToLong(Map.Entry::getValue).sum();
    }

    /** A change found only after the read side caught up at the end of a test: no single request to blame. */
    void lateChange(List<String> changes) {
        failures.merge(Category.CHANGED_STATE, 1L, Long::sum);
        lateChanges.add(test + ": " + String.join("; ", changes));
    }

    long requestsOf(String name) {
        return requestsPerTest.getOrDefault(name, 0L);
    }

    List<Offence> offencesOf(String name) {
        return offences.stream().filter(o -> o.test().equals(name)).toList();
    }

    /** Fails (AssertionError) when {@code name} had offending requests, listing the first {@link #LISTED}. */
    void assertNoOffences(String name, String note) {
        List<Offence> own = offencesOf(name);
        List<String> late = lateChanges.stream().filter(c -> c.startsWith(name + ": ")).toList();
        if (own.isEmpty() && late.isEmpty()) {
            return;
        }
        Map<Category, Long> perCategory = new EnumMap<>(Category.class);
        own.forEach(o -> o.categories().forEach(c -> perCategory.merge(c, 1L, Long::sum)));
        StringBuilder message = new StringBuilder().append(own.size()).append(" of ").append(requestsOf(name))
                .append(" hostile requests broke the contract (").append(labels(perCategory)).append("); the first ")
                .append(Math.min(LISTED, own.size())).append(':');
        own.stream().limit(LISTED).forEach(o -> message.append("\n  ").append(o.describe()));
        late.forEach(c -> message.append("\n  [changed state, found after the read side caught up] ").append(c));
        throw new AssertionError(message.append("\n  (").append(note).append(")").toString());
    }

    /** The figures of the whole run so far, through SLF4J. */
    void logFigures(String heading) {
        Map<Port, Long> perPort = new EnumMap<>(Port.class);
        requests.values().forEach(m -> m.forEach((port, n) -> perPort.merge(port, n, Long::sum)));
        StringBuilder text = new StringBuilder(heading).append(": ").append(requests()).append(" requests, ")
                .append(offences.size()).append(" offending (").append(labels(failures)).append(")");
        text.append("\n  per port: ").append(perPort);
        text.append("\n  per endpoint:");
        requests.forEach((endpoint, ports) -> text.append("\n    ").append(String.format("%-19s", endpoint))
                .append(ports.values().stream().mapToLong(Long::longValue).sum()).append(' ').append(ports));
        text.append("\n  per test:");
        requestsPerTest.forEach((name, n) -> text.append("\n    ").append(name).append(": ").append(n)
                .append(" requests, ").append(offencesOf(name).size()).append(" offending"));
        lateChanges.forEach(c -> text.append("\n  changed state found after the read side caught up: ").append(c));
        for (Category category : Category.values()) {
            List<Offence> examples = offences.stream().filter(o -> o.categories().contains(category)).limit(3).toList();
            if (!examples.isEmpty()) {
                text.append("\n  examples of ").append(category.label).append(':');
                examples.forEach(o -> text.append("\n    ").append(o.describe()));
            }
        }
        log.info("{}", text);
    }

    /** Every offence of the run, one a line, for reading in full ({@code target/hostile-offences.txt}). */
    void writeOffences(java.nio.file.Path file) {
        List<String> lines = new ArrayList<>();
        offences.forEach(o -> lines.add(o.test() + " " + o.describe(4_000)));
        lateChanges.forEach(c -> lines.add("[changed state, found after the read side caught up] " + c));
        try {
            java.nio.file.Files.createDirectories(file.getParent());
            java.nio.file.Files.write(file, lines, java.nio.charset.StandardCharsets.UTF_8);
            log.info("All {} offending requests: {}", offences.size(), file.toAbsolutePath());
        } catch (java.io.IOException e) {
            log.warn("Could not write {}: {}", file, e.getMessage());
        }
    }

    private static String labels(Map<Category, Long> counts) {
        if (counts.isEmpty()) {
            return "none";
        }
        return counts.entrySet().stream().map(e -> e.getKey().label + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    static String abbreviate(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder shown = new StringBuilder();
        text.codePoints().limit(max).forEach(cp -> {
            if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) || Character.isSurrogate((char) cp)) {
                shown.append(String.format("\\u%04x", cp));
            } else {
                shown.appendCodePoint(cp);
            }
        });
        if (text.length() > max) {
            shown.append("…(").append(text.length()).append(" chars)");
        }
        return shown.toString();
    }
}
