package com.hsrcpay.apikeys.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.localstack.hostile.Ledger.Category;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Stream;

import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.CREATE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.DELETE;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.PATCH;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.VERIFY;
import static com.hsrcpay.apikeys.localstack.hostile.Endpoint.WHOAMI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Part two of the hostile-input suite: tables, for what a generator does not reach. Raw bytes no client library
 * would send, on every port; what the gateway must never forward; the escalation of item 1 step by step; the client
 * address behind the gateway (item 3); what verify tells about another account's keys (item 8). Every request goes
 * through the same {@link RequestChecker} as the properties.
 */
@ExtendWith(HostileSuiteExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HostileInputTableIT {

    private static final String PREFIX = HostileInputTableIT.class.getSimpleName() + ".";
    private static final String OWN_PERMISSIONS = "{\"account:api:key\":[\"read\"]}";
    private static Canary canary;

    private final HostileSystem system;
    private final World world;

    HostileInputTableIT(HostileSystem system) {
        this.system = system;
        this.world = system.world;
    }

    @BeforeAll
    static void openCanary() {
        canary = new Canary();
    }

    @AfterAll
    static void closeCanary(HostileSystem system) {
        canary.close();
        system.ledger.logFigures("Hostile suite after the tables");
    }

    // ------------------------------------------------------------------ raw bytes, every port

    /** Requests that break HTTP itself; the web server's refusal must be the envelope too. */
    static Stream<Arguments> rawRequests() {
        String jwt = "{jwt}";
        List<Object[]> rows = List.of(
                row("a header of 9,000 bytes", "GET /v1/whoami HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer " + jwt
                        + "\r\nX-Filler: " + "x".repeat(9_000) + "\r\n\r\n"),
                row("a header name with a space", "GET /v1/whoami HTTP/1.1\r\nHost: {host}\r\nBad Header: x\r\n\r\n"),
                row("a header name with a control character", "GET /v1/whoami HTTP/1.1\r\nHost: {host}\r\nX-Ctl\u0001: v\r\n\r\n"),
                row("a NUL in a header value", "GET /v1/whoami HTTP/1.1\r\nHost: {host}\r\nX-Nul: a\u0000b\r\n\r\n"),
                row("an obs-fold continuation line", "GET /v1/whoami HTTP/1.1\r\nHost: {host}\r\nX-Folded: a\r\n b\r\n\r\n"),
                row("a header line without a colon", "GET /v1/whoami HTTP/1.1\r\nHost: {host}\r\nNoColonHere\r\n\r\n"),
                row("a Content-Length that is no number", post("Content-Length: abc\r\n", "{}")),
                row("a negative Content-Length", post("Content-Length: -1\r\n", "{}")),
                row("two different Content-Lengths", post("Content-Length: 2\r\nContent-Length: 3\r\n", "{} ")),
                row("a Content-Length in exponent form", post("Content-Length: 1e1\r\n", "{}")),
                row("a Content-Length beyond a long", post("Content-Length: 99999999999999999999\r\n", "{}")),
                row("Content-Length and chunked together", post("Content-Length: 4\r\nTransfer-Encoding: chunked\r\n",
                        "0\r\n\r\n")),
                row("a chunk size that is not hex", post("Transfer-Encoding: chunked\r\n", "zz\r\n{}\r\n0\r\n\r\n")),
                row("a chunk size beyond a long", post("Transfer-Encoding: chunked\r\n",
                        "ffffffffffffffffffff\r\n{}\r\n0\r\n\r\n")),
                row("Transfer-Encoding gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n", "2\r\n{}\r\n0\r\n\r\n")),
                row("Transfer-Encoding xchunked", post("Transfer-Encoding: xchunked\r\n", "2\r\n{}\r\n0\r\n\r\n")),
                row("Transfer-Encoding chunked twice", post("Transfer-Encoding: chunked, chunked\r\n",
                        "2\r\n{}\r\n0\r\n\r\n")),
                row("a chunk extension of 10,000 bytes", post("Transfer-Encoding: chunked\r\n",
                        "2;" + "e".repeat(10_000) + "\r\n{}\r\n0\r\n\r\n")),
                row("a request line of 10,000 bytes", "GET /v1/whoami?x=" + "x".repeat(10_000)
                        + " HTTP/1.1\r\nHost: {host}\r\n\r\n"),
                row("TRACE", "TRACE /v1/whoami HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer " + jwt + "\r\n\r\n"),
                row("CONNECT to the database port", "CONNECT 127.0.0.1:5432 HTTP/1.1\r\nHost: 127.0.0.1:5432\r\n\r\n"),
                row("an unknown method", "FOO /v1/whoami HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer " + jwt
                        + "\r\n\r\n"),
                row("a lower-case method", "get /v1/whoami HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer " + jwt
                        + "\r\n\r\n"),
                row("HTTP/1.2", "GET /v1/whoami HTTP/1.2\r\nHost: {host}\r\n\r\n"),
                row("HTTP/2.0 in an HTTP/1 request line", "GET /v1/whoami HTTP/2.0\r\nHost: {host}\r\n\r\n"),
                row("a request line without a version", "GET /v1/whoami\r\nHost: {host}\r\n\r\n"),
                row("a space inside the path", "GET /v1/who ami HTTP/1.1\r\nHost: {host}\r\n\r\n"),
                row("a raw '<' in the path", "GET /v1/<probe> HTTP/1.1\r\nHost: {host}\r\n\r\n"),
                row("a bad percent-encoding", "GET /v1/%zz HTTP/1.1\r\nHost: {host}\r\n\r\n"),
                row("invalid UTF-8 in the path", "GET /v1/api-keys/\u00ff\u00fe HTTP/1.1\r\nHost: {host}\r\n\r\n"),
                row("overlong UTF-8 '/' in the path", "GET /v1/api-keys/%C0%AF..%C0%AFadmin HTTP/1.1\r\nHost: {host}\r\n\r\n"),
                row("no Host header", "GET /v1/whoami HTTP/1.1\r\nAuthorization: Bearer " + jwt + "\r\n\r\n"),
                row("two Host headers", "GET /v1/whoami HTTP/1.1\r\nHost: {host}\r\nHost: other.invalid\r\n\r\n"));
        List<Arguments> all = new ArrayList<>();
        for (Object[] r : rows) {
            for (Port port : Port.values()) {
                all.add(Arguments.of(r[0], port, r[1]));
            }
        }
        return all.stream();
    }

    @Order(1)
    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("rawRequests")
    void rawRequestsAreRefusedInTheEnvelope(String name, Port port, String template, TestInfo test) {
        // a POST goes to an endpoint of that port that reads its body: verify (query, gateway) or create (command)
        String text = template.replace("{post}", port == Port.COMMAND ? "/v1/api-keys/?account_id=" + World.ACCOUNT
                        : "/v1/keys/verify")
                .replace("{jwt}", world.fullJwt).replace("{host}", "127.0.0.1:" + system.port(port));
        run(test, () -> system.checker.check(HostileRequest.raw(port, "raw request", name,
                text.getBytes(StandardCharsets.ISO_8859_1)).expect(Expect.refused()).build()));
    }

    // ------------------------------------------------------------------ what the gateway must never forward

    static Stream<Arguments> gatewayTargets() {
        return Stream.of(
                Arguments.of("a path of //host:port to a listener of the test", "GET //127.0.0.1:{canary}/probe", "",
                        true),
                Arguments.of("a path of //host:port to the query port's operator endpoint",
                        "GET //localhost:{query}/admin/projections/key-list/replay", "{operator}", false),
                Arguments.of("a path of //host:port to the command port's actuator",
                        "GET //localhost:{command}/actuator/health", "", false),
                Arguments.of("an absolute-form target to a listener of the test", "GET http://127.0.0.1:{canary}/probe",
                        "", true),
                Arguments.of("an absolute-form target to the command port", "GET http://127.0.0.1:{command}/actuator/health",
                        "", false),
                Arguments.of("CONNECT to a listener of the test", "CONNECT 127.0.0.1:{canary}", "", true),
                Arguments.of("dot segments up to the operator endpoint",
                        "GET /v1/api-keys/../../admin/projections/key-list/replay", "{operator}", false),
                Arguments.of("encoded dot segments up to the operator endpoint",
                        "GET /v1/api-keys/%2e%2e/%2e%2e/admin/projections/key-list/replay", "{operator}", false),
                Arguments.of("the operator endpoint itself", "GET /admin/projections/key-list/replay", "{operator}",
                        false));
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @MethodSource("gatewayTargets")
    void theGatewayForwardsOnlyItsOwnRoutes(String name, String requestLine, String credential, boolean toCanary,
                                            TestInfo test) {
        String line = requestLine.replace("{canary}", String.valueOf(canary.port()))
                .replace("{query}", String.valueOf(system.port(Port.QUERY)))
                .replace("{command}", String.valueOf(system.port(Port.COMMAND)));
        String token = credential.isEmpty() ? "" : "Authorization: Bearer " + world.operatorJwt + "\r\n";
        String host = line.startsWith("CONNECT") ? line.substring(8) : "127.0.0.1:" + system.port(Port.GATEWAY);
        byte[] bytes = (line + " HTTP/1.1\r\nHost: " + host + "\r\n" + token + "\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        // the contract fixes 404/400 for // and absolute targets; for CONNECT only that it is refused
        Expect expect = line.startsWith("CONNECT") ? Expect.refused() : Expect.status(400, 404);
        run(test, () -> {
            int before = canary.connections();
            HostileRequest request = HostileRequest.raw(Port.GATEWAY, "request target", line, bytes)
                    .expect(expect).build();
            RawHttp.Reply reply = system.checker.check(request);
            if (toCanary && canary.connections() != before) {
                system.checker.finding(request, reply, Category.WRONG_STATUS, "the gateway opened a connection to "
                        + "127.0.0.1:" + canary.port() + " for the client (an open proxy)");
            }
        });
    }

    @Order(3)
    @Test
    void theGatewayShowsNoInternalPort(TestInfo test) {
        run(test, () -> {
            system.checker.check(HostileRequest.to(Endpoint.UNKNOWN_PATH, Port.GATEWAY, world).path("/actuator")
                    .hostile("path", "/actuator with a valid JWT").expect(Expect.anyStatus()).build());
            system.checker.check(HostileRequest.to(Endpoint.API_DOCS, Port.GATEWAY, world)
                    .hostile("path", "/v3/api-docs").expect(Expect.anyStatus()).build());
        });
    }

    /** Item 2: the local stack's API port binds loopback by default; no other interface of the machine answers. */
    @Order(3)
    @Test
    void theGatewayListensOnLoopbackOnly() throws IOException {
        List<InetAddress> others = new ArrayList<>();
        for (NetworkInterface network : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (network.isUp() && !network.isLoopback()) {
                Collections.list(network.getInetAddresses()).stream()
                        .filter(a -> a instanceof Inet4Address && !a.isLinkLocalAddress()).forEach(others::add);
            }
        }
        Assumptions.assumeFalse(others.isEmpty(), "this machine has no address but loopback");
        List<String> answered = new ArrayList<>();
        for (InetAddress address : others) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(address, system.port(Port.GATEWAY)), 1_000);
                answered.add(address.getHostAddress() + ":" + system.port(Port.GATEWAY));
            } catch (IOException refused) {
                // what it should do
            }
        }
        assertThat(answered).as("non-loopback addresses where the gateway accepted a connection").isEmpty();
    }

    // ------------------------------------------------------------------ item 1: no escalation

    /** One escalation attempt: setup (valid, projected before), the attempt, and what a minted key must not do. */
    record Escalation(String name, Function<World, String> credential, Endpoint endpoint, String permissions) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Escalation> escalations() {
        return Stream.of(
                new Escalation("a JWT holding only create creates {*:[*], platform:api:key:[verify]}",
                        w -> w.createOnlyJwt, CREATE, "{\"*\":[\"*\"],\"platform:api:key\":[\"verify\"]}"),
                new Escalation("a create-only secret key mints a {*:[*]} key", w -> w.createOnlySecret, CREATE,
                        "{\"*\":[\"*\"]}"),
                new Escalation("a create-only secret key mints a key that may also delete", w -> w.createOnlySecret,
                        CREATE, "{\"account:api:key\":[\"create\",\"delete\"]}"),
                new Escalation("a create-only secret key mints a platform:api:key:verify key", w -> w.createOnlySecret,
                        CREATE, "{\"platform:api:key\":[\"verify\"]}"),
                new Escalation("a JWT with the four key permissions creates {account:api:key:[*]}", w -> w.fullJwt,
                        CREATE, "{\"account:api:key\":[\"*\"]}"),
                new Escalation("a JWT with the four key permissions creates {platform:api:key:[verify]}",
                        w -> w.fullJwt, CREATE, "{\"platform:api:key\":[\"verify\"]}"),
                new Escalation("a sandbox JWT creates {*:[*]}", w -> w.sandboxJwt, CREATE, "{\"*\":[\"*\"]}"),
                new Escalation("an update+read JWT patches the target to {account:api:key:[delete]}",
                        w -> w.updateReadJwt, PATCH, "{\"account:api:key\":[\"delete\"]}"),
                new Escalation("a JWT with the four key permissions patches the target to {*:[*]}", w -> w.fullJwt,
                        PATCH, "{\"*\":[\"*\"]}"),
                new Escalation("a JWT with the four key permissions adds platform:metrics:[read] to the target",
                        w -> w.fullJwt, PATCH, "{\"account:api:key\":[\"read\"],\"platform:metrics\":[\"read\"]}"));
    }

    @Order(4)
    @ParameterizedTest(name = "{0}")
    @MethodSource("escalations")
    void noCredentialGrantsMoreThanItHolds(Escalation escalation, TestInfo test) {
        run(test, () -> {
            Port port = Port.GATEWAY;
            String credential = escalation.credential().apply(world);
            HostileRequest.Builder attempt = HostileRequest.to(escalation.endpoint(), port, world).bearer(credential)
                    .hostile("body.permissions", escalation.name() + ": " + escalation.permissions())
                    .expect(Expect.status(403).reason("permission_not_grantable").field("permissions"));
            if (escalation.endpoint() == PATCH) {
                attempt.onlyField("permissions", escalation.permissions().getBytes(StandardCharsets.UTF_8));
            } else {
                attempt.field("permissions",
                        escalation.permissions().getBytes(StandardCharsets.UTF_8));
            }
            RawHttp.Reply reply = system.checker.check(attempt.build());
            if (reply.status() == 201 && escalation.permissions().contains("*")) {
                whatAMintedKeyMustNotDo(RequestChecker.parse(reply.body()).at("/data/key").asText(), escalation);
            }
        });
    }

    /** Only reached when the product wrongly minted the key: it must still not reach another account or delete. */
    private void whatAMintedKeyMustNotDo(String minted, Escalation escalation) {
        system.checker.rebaseline(); // the mint was counted; what follows is judged from here
        system.checker.check(HostileRequest.to(VERIFY, Port.QUERY, world).bearer(minted)
                .field("key", ("\"" + world.victimSecret + "\"").getBytes(StandardCharsets.UTF_8))
                .hostile("credential", "the key minted by: " + escalation.name() + "; verifies another account's secret")
                .expect(Expect.anyStatus().answer("another account's key is NOT_FOUND to an account's key",
                        r -> r.status() >= 400 || "NOT_FOUND".equals(data(r).path("code").asText())))
                .build());
        system.checker.check(HostileRequest.to(DELETE, Port.GATEWAY, world).bearer(minted)
                .hostile("credential", "the key minted by: " + escalation.name() + "; deletes a key its creator could not")
                .expect(Expect.status(401, 403, 404)).build());
    }

    // ------------------------------------------------------------------ item 8: verify and two credentials

    static Stream<Arguments> keysVerifyMustNotTellApart() {
        List<Arguments> rows = new ArrayList<>();
        Map<String, Function<World, String>> keys = new LinkedHashMap<>();
        keys.put("another account's deleted key", w -> w.victimDeletedSecret);
        keys.put("another account's live key", w -> w.victimSecret);
        keys.put("another account's INACTIVE key", w -> w.victimInactiveSecret);
        keys.put("the own account's sandbox key, asked with a live JWT", w -> w.sandboxSecret);
        keys.forEach((name, key) -> {
            rows.add(Arguments.of(name, key, Port.GATEWAY));
            rows.add(Arguments.of(name, key, Port.QUERY));
        });
        return rows.stream();
    }

    @Order(5)
    @ParameterizedTest(name = "{0} on {2}")
    @MethodSource("keysVerifyMustNotTellApart")
    void verifyAnswersNotFoundForKeysTheCallerMayNotSee(String name, Function<World, String> key, Port port,
                                                        TestInfo test) {
        run(test, () -> system.checker.check(HostileRequest.to(VERIFY, port, world)
                .field("key", ("\"" + key.apply(world) + "\"").getBytes(StandardCharsets.UTF_8))
                .hostile("body.key", name)
                .expect(Expect.status(200).answer("valid false, code NOT_FOUND, no key_id", r -> {
                    JsonNode data = data(r);
                    return !data.path("valid").asBoolean(true) && "NOT_FOUND".equals(data.path("code").asText())
                            && !data.has("key_id");
                })).build()));
    }

    static Stream<Arguments> twoCredentials() {
        return Stream.of(
                Arguments.of("create with a valid JWT, then garbage", CREATE,
                        (Function<World, String[]>) w -> new String[]{w.fullJwt, "garbage"}),
                Arguments.of("delete the target with the own JWT, then another account's", DELETE,
                        (Function<World, String[]>) w -> new String[]{w.fullJwt, w.victimJwt}),
                Arguments.of("whoami with another account's JWT, then the own", WHOAMI,
                        (Function<World, String[]>) w -> new String[]{w.victimJwt, w.fullJwt}),
                Arguments.of("whoami with a secret key, then a JWT", WHOAMI,
                        (Function<World, String[]>) w -> new String[]{w.readerSecret, w.fullJwt}));
    }

    @Order(6)
    @ParameterizedTest(name = "{0}")
    @MethodSource("twoCredentials")
    void twoAuthorizationHeadersAre400(String name, Endpoint endpoint, Function<World, String[]> pair, TestInfo test) {
        run(test, () -> {
            for (Port port : endpoint.ports) {
                String[] credentials = pair.apply(world);
                system.checker.check(HostileRequest.to(endpoint, port, world).bearer(credentials[0])
                        .addHeader("Authorization", "Bearer " + credentials[1]).hostile("two Authorization headers", name)
                        .expect(Expect.status(400)).build());
            }
        });
    }

    // ------------------------------------------------------------------ item 3: the client's address

    @Order(7)
    @Test
    void aForgedForwardedForThroughTheGatewayDoesNotDodgeTheGuard(TestInfo test) {
        int tries = system.guardMaxFailures() + 5;
        run(test, () -> {
            for (int i = 1; i <= tries; i++) {
                system.checker.check(refusedThroughTheGateway(i).expect(Expect.refusedCredential()).build());
            }
            // more refused credentials from one client than the guard allows: the next one is answered 429
            system.checker.check(refusedThroughTheGateway(tries + 1).expect(Expect.status(429)
                    .reason("too_many_failed_authentications")).build());
        });
    }

    private HostileRequest.Builder refusedThroughTheGateway(int i) {
        return HostileRequest.to(WHOAMI, Port.GATEWAY, world).bearer(HostileCredentials.unknownKey(
                com.hsrcpay.apikeys.shared.key.Mode.LIVE)).header("X-Forwarded-For", "203.0.113." + i)
                .hostile("header X-Forwarded-For", "203.0.113." + i + " (rotating), with an unknown key");
    }

    @Order(8)
    @Test
    void aForgedForwardedForThroughTheGatewayIsNotTheLastUsedIp(TestInfo test) {
        run(test, () -> {
            // a key of its own, never used before: its first recorded use is this request's
            JsonNode key = world.create(world.fullJwt, World.body("forwarded-for-probe", World.READ, false));
            system.checker.rebaseline();
            String forged = "198.51.100.77";
            HostileRequest request = HostileRequest.to(WHOAMI, Port.GATEWAY, world).bearer(key.get("key").asText())
                    .header("X-Forwarded-For", forged).hostile("header X-Forwarded-For", forged + " with a secret key")
                    .expect(Expect.status(200)).build();
            RawHttp.Reply reply = system.checker.check(request);
            StateProbe.Usage usage = awaitUsageSince(key.get("id").asText(), Instant.EPOCH);
            // the client is this test, on loopback: that is the address the key's last use must show
            if (!List.of("127.0.0.1", "0:0:0:0:0:0:0:1", "::1").contains(usage.lastUsedIp())) {
                system.checker.finding(request, reply, Category.CHANGED_STATE, "read_model.key_usage.last_used_ip is "
                        + usage.lastUsedIp() + ", not the client's address 127.0.0.1 (the client claimed " + forged + ")");
            }
        });
    }

    /**
     * Runs last (it cannot be undone): a forged X-Forwarded-For longer than the column through the gateway must not
     * stop last-use recording for every key.
     */
    @Order(Integer.MAX_VALUE)
    @Test
    void aLongForgedForwardedForDoesNotStopLastUseRecording(TestInfo test) {
        run(test, () -> {
            system.checker.check(HostileRequest.to(WHOAMI, Port.GATEWAY, world).bearer(world.readerSecret)
                    .header("X-Forwarded-For", "a".repeat(100))
                    .hostile("header X-Forwarded-For", "100 a's, with a secret key").expect(Expect.status(200)).build());
            Instant sent = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            HostileRequest next = HostileRequest.to(WHOAMI, Port.QUERY, world).bearer(world.usageProbeSecret)
                    .hostile("credential", "another key, used right after").expect(Expect.status(200)).build();
            RawHttp.Reply reply = system.checker.check(next);
            try {
                awaitUsageSince(world.usageProbeKeyId, sent);
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                system.checker.finding(next, reply, Category.CHANGED_STATE, "no last use recorded for another key "
                        + "within 5 s: the 100-character forged address broke the batched usage writes");
            }
        });
    }

    private StateProbe.Usage awaitUsageSince(String keyId, Instant since) {
        return await().atMost(Duration.ofSeconds(5)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50))
                .until(() -> system.probe.usage(keyId), u -> u.lastUsedAtMillis() >= since.toEpochMilli());
    }

    // ------------------------------------------------------------------ helpers

    private void run(TestInfo test, Runnable body) {
        String name = PREFIX + test.getTestMethod().orElseThrow().getName() + " " + test.getDisplayName();
        system.ledger.begin(name);
        body.run();
        system.checker.assertSettled(name);
        system.ledger.assertNoOffences(name, "table case");
    }

    private static JsonNode data(RawHttp.Reply reply) {
        JsonNode body = RequestChecker.parse(reply.body());
        return body == null ? com.fasterxml.jackson.databind.node.MissingNode.getInstance() : body.path("data");
    }

    private static Object[] row(String name, String template) {
        return new Object[]{name, template};
    }

    private static String post(String headers, String body) {
        return "POST {post} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {jwt}\r\n"
                + "Content-Type: application/json\r\n" + headers + "\r\n" + body;
    }

    /** A listener on loopback that counts who connects: the gateway must never connect to it for a client. */
    static final class Canary implements AutoCloseable {
        private final ServerSocket server;
        private final AtomicInteger connections = new AtomicInteger();

        Canary() {
            try {
                server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread accepting = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket socket = server.accept()) {
                        connections.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "hostile-canary");
            accepting.setDaemon(true);
            accepting.start();
        }

        int port() {
            return server.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
