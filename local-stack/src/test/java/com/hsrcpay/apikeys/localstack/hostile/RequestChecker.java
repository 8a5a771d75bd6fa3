package com.hsrcpay.apikeys.localstack.hostile;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.hsrcpay.apikeys.localstack.hostile.Ledger.Category;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.PublishedContract;
import org.springframework.http.HttpStatus;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpHeaders;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The one checker every hostile request goes through. It sends the request and asserts, for every answer: no 5xx;
 * for every status >= 400 the JSON envelope of its path ({@code /api/v1/...}: the applications envelope; everything
 * else: the {@code /v1} one), also from the gateway and for refusals of the web server itself; no internal names
 * in the body of an error or in any header (no server version, on the gateway no internal port); the status, field,
 * reason and answer the contract fixes, when it fixes them; and no change: the events, the idempotency claims and
 * the read-model rows are what they were before the request. A change is recorded against the request, then the
 * read side is let catch up and the target renewed, so the next request starts from a clean, known state.
 */
final class RequestChecker {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    private static final List<String> INTERNAL_NAMES = List.of("java.", "javax.", "jakarta.", "org.springframework",
            "org.apache", "com.hsrcpay", "org.axonframework", "com.fasterxml", "org.postgresql", "Exception",
            "Tomcat", "Coyote", "PSQL", "SQL", "Caused by", "StackOverflow");
    private static final Pattern STACK_FRAME = Pattern.compile("\\bat [\\w$]+(\\.[\\w$<>]+)+\\([^)]*\\)");
    private static final Set<String> DOCUMENTED_METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE");
    private static final Pattern VERSIONED = Pattern.compile(".*(\\d|Tomcat|Coyote|Apache|Jetty).*");

    private final HostileSystem system;
    private final List<String> internalPorts;
    private final Map<Port, PublishedContract> documents = new EnumMap<>(Port.class);
    private StateProbe.Snapshot baseline;

    RequestChecker(HostileSystem system) {
        this.system = system;
        this.internalPorts = List.of(":" + system.port(Port.COMMAND), ":" + system.port(Port.QUERY));
        this.baseline = system.probe.take();
        for (Port port : Port.values()) {
            documents.put(port, new PublishedContract("http://localhost:" + system.port(port)));
        }
    }

    /** After valid setup writes inside a case: let them be projected and take the state they leave as the baseline. */
    void rebaseline() {
        system.awaitProjected();
        baseline = system.probe.take();
    }

    /**
     * At the end of a test: lets the read side catch up and checks the read model is still what the last request
     * left (a change now was caused by one of the test's requests without showing at once).
     */
    void assertSettled(String test) {
        system.awaitProjected();
        StateProbe.Snapshot now = system.probe.take();
        List<String> changes = now.changesSince(baseline);
        if (!changes.isEmpty()) {
            system.ledger.lateChange(changes);
            system.world.renewTargetIfUnusable();
            baseline = system.probe.take();
        }
    }

    /** Sends {@code request}, records it and any offence in the ledger, and returns the answer. */
    RawHttp.Reply check(HostileRequest request) {
        int portNumber = system.port(request.port);
        byte[] bytes = request.bytes(portNumber);
        RawHttp.Reply reply = request.freshConnection ? RawHttp.once(portNumber, bytes, request.isHead())
                : system.http.exchange(portNumber, bytes, request.isHead());
        system.ledger.count(request);

        EnumSet<Category> broken = EnumSet.noneOf(Category.class);
        List<String> details = new ArrayList<>();
        if (!reply.received()) {
            broken.add(Category.NOT_THE_ENVELOPE);
            details.add(reply.failure());
        } else if (reply.status() == RawHttp.NO_STATUS_LINE) {
            // HTTP/0.9 has no status line: the body alone must be the envelope, its code then is the status
            JsonNode body = parse(reply.body());
            JsonNode code = body == null ? null
                    : request.path().startsWith("/api/v1/") ? body.path("code") : body.at("/error/code");
            if (code != null && code.isInt()) {
                judge(request, reply.asJsonWithStatus(code.asInt()), broken, details);
            } else {
                broken.add(Category.NOT_THE_ENVELOPE);
                details.add("an answer without a status line (HTTP/0.9) whose body is no envelope");
                String leak = internalNames(request, reply);
                if (leak != null) {
                    broken.add(Category.INTERNAL_NAMES);
                    details.add(leak);
                }
            }
        } else {
            judge(request, reply, broken, details);
        }
        StateProbe.Snapshot after = system.probe.take();
        List<String> changes = after.changesSince(baseline);
        if (!changes.isEmpty()) {
            broken.add(Category.CHANGED_STATE);
            details.addAll(changes);
            if (after.eventsChangedSince(baseline)) {
                system.awaitProjected();
                system.world.renewTargetIfUnusable();
            }
            after = system.probe.take();
        }
        baseline = after;
        if (!broken.isEmpty()) {
            system.ledger.offence(request, reply.status(), reply.bodyText(), broken, details);
        }
        return reply;
    }

    /** A finding about {@code request} that shows only after its answer (a row written later, a guard not tripped). */
    void finding(HostileRequest request, RawHttp.Reply reply, Category category, String detail) {
        system.ledger.offence(request, reply.status(), reply.bodyText(), EnumSet.of(category), List.of(detail));
    }

    private void judge(HostileRequest request, RawHttp.Reply reply, EnumSet<Category> broken, List<String> details) {
        int status = reply.status();
        if (status >= 500) {
            broken.add(Category.SERVER_ERROR);
        }
        JsonNode error = null;
        if (status >= 400) {
            String problem = envelopeProblem(request.path(), reply);
            if (problem != null) {
                broken.add(Category.NOT_THE_ENVELOPE);
                details.add(problem);
            } else {
                error = parse(reply.body());
            }
        } else if (status < 300 && request.path().startsWith("/v1/") && isJson(reply)) {
            JsonNode body = parse(reply.body());
            if (body == null || !body.path("success").asBoolean(false)) {
                broken.add(Category.NOT_THE_ENVELOPE);
                details.add("a success without the /v1 success envelope");
            }
        }
        String leak = internalNames(request, reply);
        if (leak != null) {
            broken.add(Category.INTERNAL_NAMES);
            details.add(leak);
        }
        Expect expect = request.expect;
        if (!expect.allows(status)) {
            broken.add(Category.WRONG_STATUS);
            details.add("status " + status + " where the contract says " + expect.describe());
        } else if (error != null && (expect.field() != null || expect.reason() != null)) {
            String fieldProblem = fieldProblem(request.path(), error, expect);
            if (fieldProblem != null) {
                broken.add(Category.WRONG_STATUS);
                details.add(fieldProblem);
            }
        }
        if (expect.answer() != null && !expect.answer().test(reply)) {
            broken.add(Category.WRONG_STATUS);
            details.add("answer breaks: " + expect.answerRule());
        }
        List<String> undocumented = documentProblems(request, reply);
        if (!undocumented.isEmpty()) {
            broken.add(Category.BREAKS_THE_DOCUMENT);
            details.addAll(undocumented);
        }
    }

    /**
     * What the port's OpenAPI document says is wrong with this answer (swagger-request-validator, strict). Only for
     * the methods operations have and paths a URI can hold: a forged request line names no operation.
     */
    private List<String> documentProblems(HostileRequest request, RawHttp.Reply reply) {
        if (!DOCUMENTED_METHODS.contains(request.method) || !isHttp1(reply)) {
            return List.of(); // no operation named, or an HTTP/0.9 answer, which has no headers to describe
        }
        try {
            URI.create(request.path());
        } catch (IllegalArgumentException notAUri) {
            return List.of();
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        reply.headers().forEach(header -> headers.computeIfAbsent(header.getKey(), name -> new ArrayList<>())
                .add(header.getValue()));
        return documents.get(request.port).problems(request.method, request.path(), new HttpApi.Reply(reply.status(),
                HttpHeaders.of(headers, (name, value) -> true), reply.bodyText()));
    }

    /** Null when the body is the error envelope of {@code path} for this status; else what is wrong. */
    static String envelopeProblem(String path, RawHttp.Reply reply) {
        int status = reply.status();
        if (!isJson(reply)) {
            return "Content-Type " + reply.header("Content-Type") + ", not application/json";
        }
        JsonNode body = parse(reply.body());
        if (body == null || !body.isObject()) {
            return "the body is not a JSON object";
        }
        if (path.startsWith("/api/v1/")) {
            HttpStatus known = HttpStatus.resolve(status);
            boolean ok = body.path("error").isTextual()
                    && (known == null || known.getReasonPhrase().equals(body.path("error").asText()))
                    && body.path("message").isTextual() && body.path("code").isInt()
                    && body.path("code").asInt() == status && body.path("details").isArray()
                    && !body.has("success");
            for (JsonNode detail : body.path("details")) {
                ok &= detail.path("field").isTextual() && detail.path("message").isTextual();
            }
            return ok ? null : "not the applications envelope {error, message, code, details: [{field, message}]}";
        }
        boolean ok = body.path("message").isTextual() && body.path("success").isBoolean()
                && !body.path("success").asBoolean() && body.path("error").isObject()
                && body.path("error").path("code").isInt() && body.path("error").path("code").asInt() == status
                && body.path("error").path("message").isTextual() && body.path("error").path("details").isObject();
        return ok ? null : "not the /v1 envelope {message, success: false, error: {code, message, details: {}}}";
    }

    private static String fieldProblem(String path, JsonNode error, Expect expect) {
        if (path.startsWith("/api/v1/")) {
            if (expect.field() == null) {
                return null;
            }
            for (JsonNode detail : error.path("details")) {
                if (detail.path("field").asText().startsWith(expect.field())) {
                    return null;
                }
            }
            return "no details entry names the field " + expect.field();
        }
        JsonNode details = error.path("error").path("details");
        if (expect.field() != null && !details.path("field").asText("").startsWith(expect.field())) {
            return "details.field is " + details.path("field") + ", not " + expect.field();
        }
        if (expect.reason() != null && !expect.reason().equals(details.path("reason").asText())) {
            return "details.reason is " + details.path("reason") + ", not " + expect.reason();
        }
        return null;
    }

    private String internalNames(HostileRequest request, RawHttp.Reply reply) {
        for (Map.Entry<String, String> header : reply.headers()) {
            String text = header.getKey() + ": " + header.getValue();
            if (header.getKey().equalsIgnoreCase("Server") && VERSIONED.matcher(header.getValue()).matches()) {
                return "header " + text;
            }
            String found = internalName(text);
            if (found != null) {
                return "header " + Ledger.abbreviate(text, 80) + " names " + found;
            }
        }
        String body = reply.bodyText();
        if (reply.status() >= 300 || reply.status() == RawHttp.NO_STATUS_LINE) {
            String found = internalName(body);
            if (found != null) {
                return "body names " + found;
            }
        }
        if (request.port == Port.GATEWAY) {
            for (String port : internalPorts) {
                if (body.contains(port) || reply.headers().stream().anyMatch(h -> h.getValue().contains(port))) {
                    return "the gateway's answer shows the internal port " + port;
                }
            }
        }
        return null;
    }

    private static String internalName(String text) {
        for (String name : INTERNAL_NAMES) {
            if (text.contains(name)) {
                return "'" + name + "'";
            }
        }
        var frame = STACK_FRAME.matcher(text);
        return frame.find() ? "a stack frame '" + frame.group() + "'" : null;
    }

    /** An HTTP/0.9 answer is judged as its body's envelope says; it carries no header but the Content-Type put there. */
    private static boolean isHttp1(RawHttp.Reply reply) {
        return reply.headers().size() > 1 || reply.header("Content-Type") == null;
    }

    private static boolean isJson(RawHttp.Reply reply) {
        String type = reply.header("Content-Type");
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    static JsonNode parse(byte[] body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }
}
