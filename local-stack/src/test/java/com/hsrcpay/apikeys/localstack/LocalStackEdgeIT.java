package com.hsrcpay.apikeys.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.embedded.Ports;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The local stack in this JVM, as {@code java -jar local-stack.jar} starts it (its own PostgreSQL and Kafka, both
 * real services, the gateway): what its edge answers on every port, where it listens, and the files it leaves.
 */
class LocalStackEdgeIT {

    private static final Map<String, Object> KEY_BODY =
            Map.of("name", "Edge", "permissions", Map.of("account:api:key", List.of("read")));

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static String token;
    private static int commandPort;
    private static int queryPort;

    @BeforeAll
    static void start() throws IOException {
        // a token file left world-readable by an older version is tightened, not just rewritten
        Path oldToken = dataDir.resolve("dev-token");
        Files.writeString(oldToken, "old");
        Files.setPosixFilePermissions(oldToken, PosixFilePermissions.fromString("rw-r--r--"));
        // the services' ports as an operator sets them (fixed, documented); free ones, as two stacks may run at once
        commandPort = Ports.freePort();
        queryPort = Ports.freePort();
        stack = new LocalStack(LocalStackSettings.from(Map.of("KMS_DATA_DIR", dataDir.toString(), "KMS_PORT", "0",
                "KMS_KAFKA_PORT", "0", "KMS_PG_PORT", "0", "KMS_COMMAND_PORT", Integer.toString(commandPort),
                "KMS_QUERY_PORT", Integer.toString(queryPort))));
        stack.start();
        token = Files.readString(dataDir.resolve("dev-token")).trim();
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theDevTokenFilesAndTheJwtSecretAreOwnerOnly() throws IOException {
        for (String name : List.of("dev-token", "dev-token-test", "dev-token-operator", "jwt-hmac-secret")) {
            Path file = dataDir.resolve(name);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(name).isEqualTo("rw-------");
        }
        assertThat(token).isNotEqualTo("old").contains(".");
    }

    /**
     * README "Operations": the operator token scrapes both services' metrics on their own ports (KMS_COMMAND_PORT,
     * KMS_QUERY_PORT) and rebuilds a projection on the query service's; the developer token does neither.
     */
    @Test
    void theOperatorTokenScrapesBothServicesAndReplaysAProjectionOnTheirOwnPorts() throws IOException {
        String operator = Files.readString(dataDir.resolve("dev-token-operator")).trim();
        assertThat(List.of(stack.commandPort(), stack.queryPort())).containsExactly(commandPort, queryPort);

        for (int port : List.of(commandPort, queryPort)) {
            HttpApi service = HttpApi.onPort(port);
            HttpApi.Reply scrape = service.get("/actuator/prometheus").bearer(operator).send();
            assertThat(scrape.status()).as(scrape.toString()).isEqualTo(200);
            assertThat(scrape.body()).contains("# HELP kms_verification_cache_hit_ratio ");
            assertThat(service.get("/actuator/prometheus").bearer(token).send().status()).isEqualTo(403);
        }
        assertThat(scrapeOf(commandPort, operator)).contains("kms_commands_seconds");

        HttpApi query = HttpApi.onPort(queryPort);
        String replay = "/admin/projections/key-list/replay";
        assertThat(query.post(replay).bearer(token).send().status()).as("the developer token").isEqualTo(403);
        HttpApi.Reply started = query.post(replay).bearer(operator).send();
        assertThat(started.status()).as(started.toString()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            HttpApi.Reply progress = query.get(replay).bearer(operator).send();
            assertThat(progress.status()).as(progress.toString()).isEqualTo(200);
            assertThat(progress.json().at("/data/state").asText()).isEqualTo("completed");
        });
    }

    private static String scrapeOf(int port, String operator) {
        // a command first, so its timer is in the scrape
        HttpApi.onPort(stack.apiPort()).post("/v1/api-keys/?account_id=acct_dev").bearer(token).json(KEY_BODY).send();
        return HttpApi.onPort(port).get("/actuator/prometheus").bearer(operator).send().body();
    }

    @Test
    void theServicesListenOnLoopbackOnly() throws IOException {
        InetAddress external = Sockets.externalAddress();
        for (int port : List.of(stack.commandPort(), stack.queryPort())) {
            assertThat(Sockets.connects(InetAddress.getLoopbackAddress(), port)).isTrue();
            assertThatThrownBy(() -> Sockets.connects(external, port)).as("port %d on %s", port, external)
                    .isInstanceOf(IOException.class);
        }
    }

    static Stream<Arguments> refusalsOnEachServicePort() {
        String credential = "Authorization: Bearer " + token;
        return Stream.concat(
                ConnectorRefusals.all("/v1/api-keys/?account_id=acct_dev", credential).stream()
                        .map(refusal -> Arguments.of("command-service", refusal)),
                ConnectorRefusals.all("/v1/keys/verify", credential).stream()
                        .map(refusal -> Arguments.of("query-service", refusal)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("refusalsOnEachServicePort")
    void aServicesWebServerAnswersItsOwnRefusalsInTheEnvelope(String service, ConnectorRefusals.Case refusal) {
        RawHttp.Answer answer = RawHttp.send(portOf(service), refusal.request());

        if (refusal.applicationsPath()) {
            Envelopes.assertApplicationsError(answer, refusal.status());
        } else {
            Envelopes.assertV1Error(answer, refusal.status());
        }
    }

    @ParameterizedTest
    @MethodSource("servicePorts")
    void afterAnHttp09RequestAnUnreadableRequestLineStillGetsItsStatusLine(String service) throws IOException {
        for (int i = 0; i < 3; i++) {
            try (Socket socket = new Socket("127.0.0.1", portOf(service))) {
                socket.getOutputStream().write("GET /v1/whoami\r\n".getBytes(StandardCharsets.ISO_8859_1));
                socket.getInputStream().readAllBytes();
            }
            RawHttp.Answer answer = RawHttp.send(portOf(service), RawHttp.get("/v1/<probe>"));

            assertThat(answer.statusLine()).startsWith("HTTP/1.1 400");
            Envelopes.assertV1Error(answer, 400);
        }
    }

    @ParameterizedTest
    @MethodSource("servicePorts")
    void bootsErrorPageCalledDirectlyIs404InTheEnvelope(String service) {
        assertThat(Envelopes.assertV1Error(RawHttp.send(portOf(service), RawHttp.get("/error")), 404))
                .isEqualTo("not_found");
        assertThat(Envelopes.assertV1Error(RawHttp.send(portOf(service),
                RawHttp.request("POST", "/error", "Content-Length: 0")), 404)).isEqualTo("not_found");
    }

    @ParameterizedTest
    @MethodSource("servicePorts")
    void unknownPathsAndMethodsAreInTheEnvelopeOfTheirPath(String service) {
        int port = portOf(service);
        String credential = "Authorization: Bearer " + token;

        assertThat(Envelopes.assertV1Error(RawHttp.send(port, RawHttp.get("/v1/nothing-here", credential)), 404))
                .isEqualTo("not_found");
        assertThat(Envelopes.assertV1Error(RawHttp.send(port, RawHttp.get("/nothing-here", credential)), 404))
                .isEqualTo("not_found");
        assertThat(Envelopes.assertV1Error(RawHttp.send(port, RawHttp.get("/v1/nothing-here", credential,
                "Accept: text/html")), 404)).as("also for a browser").isEqualTo("not_found");
        Envelopes.assertApplicationsError(RawHttp.send(port,
                RawHttp.request("DELETE", "/api/v1/applications/app_1/other", credential)), 404);
        Envelopes.assertV1Error(RawHttp.send(port, RawHttp.get("/nothing-here")), 401);
        Envelopes.assertV1Error(RawHttp.send(port,
                RawHttp.request("PUT", "/v1/api-keys/9b1f0e0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", credential,
                        "Content-Length: 0")), 405);
    }

    @Test
    void theGatewayAnswersItsOwnRefusalsInTheEnvelopeToo() {
        for (ConnectorRefusals.Case refusal : ConnectorRefusals.all("/v1/keys/verify", "Authorization: Bearer " + token)) {
            RawHttp.Answer answer = RawHttp.send(stack.apiPort(), refusal.request());
            if (refusal.applicationsPath()) {
                Envelopes.assertApplicationsError(answer, refusal.status());
            } else {
                Envelopes.assertV1Error(answer, refusal.status());
            }
        }
    }

    /** The services learn the client's address from the gateway, and the gateway tells them the TCP peer. */
    @Test
    void aForgedXForwardedForDoesNotBecomeTheKeysLastUsedAddress() {
        HttpApi api = HttpApi.onPort(stack.apiPort());
        HttpApi.Reply created = api.post("/v1/api-keys/?account_id=acct_dev").bearer(token)
                .header("X-Forwarded-For", "203.0.113.50").json(KEY_BODY).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();
        String secret = created.json().at("/data/key").asText();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(api.get("/v1/whoami").bearer(secret)
                .header("X-Forwarded-For", "203.0.113.99").header("X-Real-IP", "203.0.113.98").send().status())
                .isEqualTo(200));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode key = api.get("/v1/api-keys/" + id).bearer(token).send().json().path("data");
            assertThat(key.path("last_used_ip").asText()).isEqualTo("127.0.0.1");
        });
    }

    @Test
    void nothingTheGatewayAnswersNamesAServicesPort() {
        HttpApi api = HttpApi.onPort(stack.apiPort());
        List<String> internal = List.of(":" + stack.commandPort(), ":" + stack.queryPort());

        for (String path : List.of("/actuator", "/actuator/health", "/actuator/prometheus", "/admin/projections/key-list/replay")) {
            HttpApi.Reply reply = api.get(path).bearer(token).send();
            assertThat(reply.status()).as(path).isEqualTo(404);
            assertThat(reply.body()).as(path).doesNotContain(internal);
        }
        HttpApi.Reply docs = api.get("/v3/api-docs").send();
        assertThat(docs.status()).isEqualTo(200);
        assertThat(docs.body()).doesNotContain(internal);
        HttpApi.Reply ui = api.get("/swagger-ui.html").send();
        assertThat(ui.status()).isIn(200, 302);
        assertThat(String.valueOf(ui.header("Location"))).doesNotContain(internal);
        assertThat(api.get("/swagger-ui/index.html").send().status()).isEqualTo(200);
    }

    static List<String> servicePorts() {
        return List.of("command-service", "query-service");
    }

    private static int portOf(String service) {
        return service.equals("command-service") ? stack.commandPort() : stack.queryPort();
    }
}
