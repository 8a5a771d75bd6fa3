package com.hsrcpay.apikeys.localstack.hostile;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The valid state every hostile request is aimed at, made with valid requests before the hostile phase and
 * projected before it starts: an account with a target key (managed, of an application) that writes try to change,
 * a victim account whose keys must stay invisible, keys usable as credentials, and the tokens of each kind.
 * Only {@link #renewTargetIfUnusable} changes it later, after a hostile request was wrongly accepted.
 */
final class World {

    static final String ACCOUNT = "acct_hostile";
    static final String VICTIM_ACCOUNT = "acct_victim";
    static final String APPLICATION = "3f1d2c6e-8a4b-4f0e-9c7d-5b6a7e8f9a01";
    /** A well-formed key id that no key has. */
    static final String NO_SUCH_KEY = "0b6f3c55-6a43-4a0e-9d0c-2b1f6f1f2a77";
    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final String[] WEBHOOK_PERMISSIONS = {"account:webhook:endpoint:create", "account:webhook:endpoint:read",
            "account:webhook:endpoint:update", "account:webhook:endpoint:delete"};

    private final HostileSystem system;
    private HttpApi commands;
    private HttpApi reads;
    final String fullJwt = TestJwts.forAccount(ACCOUNT).sign();
    final String sandboxJwt = TestJwts.forAccount(ACCOUNT).mode("test").sign();
    final String createOnlyJwt = TestJwts.forAccount(ACCOUNT).permissions("account:api:key:create").sign();
    final String readOnlyJwt = TestJwts.forAccount(ACCOUNT).permissions("account:api:key:read").sign();
    final String updateReadJwt = TestJwts.forAccount(ACCOUNT)
            .permissions("account:api:key:update", "account:api:key:read").sign();
    final String victimJwt = TestJwts.forAccount(VICTIM_ACCOUNT).sign();
    /** The account's webhook endpoints are managed with their own permissions, which the key JWTs do not hold. */
    final String webhookJwt = TestJwts.forAccount(ACCOUNT).permissions(WEBHOOK_PERMISSIONS).sign();
    final String operatorJwt = new TestJwts.Token("platform-operator", "acct_platform", List.of(
            "platform:projections:replay", "platform:metrics:read"), "live", Instant.now().plus(Duration.ofHours(2)),
            null, TestJwts.HMAC_SECRET).sign();

    private volatile String targetKeyId;
    String victimKeyId;
    String victimSecret;
    String victimDeletedSecret;
    String victimInactiveSecret;
    String sandboxKeyId;
    String sandboxSecret;
    String readerKeyId;
    String readerSecret;
    String createOnlySecret;
    String publishableKey;
    String usageProbeKeyId;
    String usageProbeSecret;
    /** The account's webhook endpoint (its URL never resolves: deliveries stay pending), and one of its deliveries. */
    String webhookEndpointId;
    String webhookDeliveryId;
    String victimWebhookEndpointId;
    String sandboxWebhookEndpointId;

    World(HostileSystem system) {
        this.system = system;
    }

    /** The key hostile writes aim at: this account's, live, managed, of {@link #APPLICATION}. */
    String target() {
        return targetKeyId;
    }

    void setUp() {
        webhookEndpointId = createWebhookEndpoint(webhookJwt, ACCOUNT);
        victimWebhookEndpointId = createWebhookEndpoint(TestJwts.forAccount(VICTIM_ACCOUNT)
                .permissions(WEBHOOK_PERMISSIONS).sign(), VICTIM_ACCOUNT);
        sandboxWebhookEndpointId = createWebhookEndpoint(TestJwts.forAccount(ACCOUNT).permissions(WEBHOOK_PERMISSIONS)
                .mode("test").sign(), ACCOUNT);
        targetKeyId = newTarget();
        JsonNode victim = create(victimJwt, body("victim", READ, true));
        victimKeyId = victim.get("id").asText();
        victimSecret = victim.get("key").asText();
        JsonNode deleted = create(victimJwt, body("victim-deleted", READ, false));
        victimDeletedSecret = deleted.get("key").asText();
        require(commands().delete("/v1/api-keys/" + deleted.get("id").asText()).bearer(victimJwt).send(), 200);
        JsonNode inactive = create(victimJwt, body("victim-inactive", READ, false));
        victimInactiveSecret = inactive.get("key").asText();
        require(commands().patch("/v1/api-keys/" + inactive.get("id").asText()).bearer(victimJwt)
                .json(Map.of("status", "INACTIVE")).send(), 200);
        JsonNode sandbox = create(sandboxJwt, body("sandbox", READ, false));
        sandboxKeyId = sandbox.get("id").asText();
        sandboxSecret = sandbox.get("key").asText();
        JsonNode reader = create(fullJwt, body("reader", READ, false));
        readerKeyId = reader.get("id").asText();
        readerSecret = reader.get("key").asText();
        createOnlySecret = create(fullJwt, body("create-only", Map.of("account:api:key", List.of("create")), false))
                .get("key").asText();
        Map<String, Object> publishable = body("publishable", READ, false);
        publishable.put("type", "PUBLISHABLE");
        publishableKey = create(fullJwt, publishable).get("key").asText();
        JsonNode usage = create(fullJwt, body("usage-probe", READ, false));
        usageProbeKeyId = usage.get("id").asText();
        usageProbeSecret = usage.get("key").asText();
        system.awaitProjected();
        webhookDeliveryId = firstDelivery();
    }

    private String createWebhookEndpoint(String credential, String account) {
        HttpApi.Reply reply = reads().post("/v1/webhook-endpoints?account_id=" + account).bearer(credential)
                .json(Map.of("url", "https://hooks.example.com/world", "events", List.of("*"))).send();
        require(reply, 201);
        return reply.json().at("/data/id").asText();
    }

    /** A delivery of the account's endpoint, once the outbox has queued the keys made above. */
    private String firstDelivery() {
        String[] id = new String[1];
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            HttpApi.Reply reply = reads().get("/v1/webhook-endpoints/" + webhookEndpointId + "/deliveries")
                    .bearer(webhookJwt).send();
            JsonNode first = reply.json().at("/data/0/id");
            id[0] = first.isMissingNode() ? null : first.asText();
            return id[0] != null;
        });
        return id[0];
    }

    private HttpApi reads() {
        if (reads == null) {
            reads = HttpApi.onPort(system.port(Port.QUERY));
        }
        return reads;
    }

    /**
     * After a hostile request was (wrongly) accepted: a fresh target when the old one can no longer be written to as
     * every case assumes (deleted, revoked, expired, inactive or no longer managed).
     */
    void renewTargetIfUnusable() {
        if (!system.probe.isActiveManagedKey(targetKeyId)) {
            targetKeyId = newTarget();
            system.awaitProjected();
        }
    }

    /** A valid create (setup, not a hostile request); its data. */
    JsonNode create(String credential, Map<String, Object> body) {
        HttpApi.Reply reply = commands().post("/v1/api-keys/?account_id=" + accountOf(credential)).bearer(credential)
                .json(body).send();
        require(reply, 201);
        return reply.json().get("data");
    }

    private String newTarget() {
        Map<String, Object> body = body("target", READ, true);
        body.put("application_id", APPLICATION);
        return create(fullJwt, body).get("id").asText();
    }

    private String accountOf(String credential) {
        return credential.equals(victimJwt) ? VICTIM_ACCOUNT : ACCOUNT;
    }

    static Map<String, Object> body(String name, Map<String, List<String>> permissions, boolean managed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("permissions", permissions);
        body.put("managed", managed);
        return body;
    }

    private HttpApi commands() {
        if (commands == null) {
            commands = HttpApi.onPort(system.port(Port.COMMAND));
        }
        return commands;
    }

    private static void require(HttpApi.Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("Setup request answered " + reply + " instead of " + status);
        }
    }
}
