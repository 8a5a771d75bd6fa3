package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.RealInfrastructure;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The brute-force guard over HTTP: a source that keeps presenting refused credentials is answered 429 with
 * Retry-After, in the envelope of the API it addressed, while a valid credential from the same source still gets
 * its normal answer at once; when the block ends, failures are 401 again. A low threshold and a short block give
 * this class a context of its own, so the failures of other tests never meet its counts.
 */
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET,
                "kms.verification.enabled=false",
                "kms.auth.guard.max-failures=5",
                "kms.auth.guard.block-seconds=2",
                // the test client on loopback plays the gateway, so the client it forwards is a source of its own
                "kms.http.trusted-proxies=127.0.0.1/32,::1/128"})
class FailedAuthenticationGuardIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, Object> VALID_BODY =
            Map.of("name", "Backend", "permissions", Map.of("account:api:key", List.of("read")));
    private static final String APP = "123e4567-e89b-12d3-a456-426614174000";
    private static final String SOME_KEY = "0b6f3c55-6a43-4a0e-9d0c-2b1f6f1f2a77";
    /** Another client behind the gateway (the test client on loopback is a trusted proxy). */
    private static final String OTHER_CLIENT = "203.0.113.77";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        RealInfrastructure.registerPostgres(registry);
    }

    @LocalServerPort
    int port;

    private final String account = "acct_" + Long.toHexString(System.nanoTime());

    @Test
    void aSourceThatKeepsFailingGets429UntilTheBlockEndsWhileValidCredentialsStillPass() {
        // the first request of a context pays for lazy initialisation: not inside the 2 s block
        assertThat(createWithValidToken().status()).isEqualTo(201);

        for (int i = 1; i <= 5; i++) {
            HttpApi.Reply reply = createWith(tampered());
            assertUnauthorized(reply, "failure " + i + " of 5 allowed");
        }
        HttpApi.Reply sixth = createWith(tampered());
        assertBlocked(sixth);
        assertThat(sixth.json().at("/error/details/retry_after_seconds").asLong()).isBetween(1L, 2L);

        // a valid credential from the blocked source gets its normal answer, not held until the block ends
        long started = System.nanoTime();
        HttpApi.Reply valid = createWithValidToken();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(valid.status()).as(valid.toString()).isEqualTo(201);
        assertThat(valid.json().at("/data/key").asText()).startsWith("sk_live_");
        assertThat(valid.header("Retry-After")).isNull();
        assertThat(took).as("the valid request is not slowed").isLessThan(Duration.ofSeconds(2));

        assertBlocked(createWith(tampered())); // a success does not lift the block
        HttpApi.Reply missingHeader = api().post(createPath()).json(VALID_BODY).send();
        assertThat(missingHeader.status()).as("no credential tried: not a failed authentication").isEqualTo(401);
        assertThat(missingHeader.json().at("/error/details/reason").asText()).isEqualTo("unauthenticated");
        HttpApi.Reply applications = api().delete("/api/v1/applications/" + APP + "/api-keys/" + SOME_KEY)
                .bearer(tampered()).send();
        assertThat(applications.status()).as(applications.toString()).isEqualTo(429);
        assertThat(applications.header("Retry-After")).matches("[12]");
        assertThat(applications.json().get("error").asText()).isEqualTo("Too Many Requests");
        assertThat(applications.json().get("code").asInt()).isEqualTo(429);
        assertThat(applications.json().at("/details/0/message").asText()).isEqualTo("too_many_failed_authentications");
        assertThat(applications.json().has("success")).isFalse();

        // another client behind the gateway is a source of its own
        assertUnauthorized(api().post(createPath()).bearer(tampered()).header("X-Forwarded-For", OTHER_CLIENT)
                .json(VALID_BODY).send(), "another source");

        // once the block is over, failures are 401 again and counting starts afresh
        HttpApi.Reply afterBlock = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> createWith(tampered()), reply -> reply.status() != 429);
        assertUnauthorized(afterBlock, "the first failure after the block");
        for (int i = 2; i <= 5; i++) {
            assertUnauthorized(createWith(tampered()), "failure " + i + " after the block");
        }
        assertBlocked(createWith(tampered()));
    }

    private HttpApi api() {
        return HttpApi.onPort(port);
    }

    private String createPath() {
        return "/v1/api-keys/?account_id=" + account;
    }

    private HttpApi.Reply createWithValidToken() {
        return createWith(TestJwts.forAccount(account).sign());
    }

    private HttpApi.Reply createWith(String token) {
        return api().post(createPath()).bearer(token).json(VALID_BODY).send();
    }

    private static void assertUnauthorized(HttpApi.Reply reply, String what) {
        assertThat(reply.status()).as(what + ": " + reply).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
        assertThat(reply.header("Retry-After")).isNull();
        assertThat(reply.json().at("/error/details/reason").asText()).isEqualTo("invalid_token");
    }

    private static void assertBlocked(HttpApi.Reply reply) {
        WriteApiTestBase.assertErrorEnvelope(reply, 429);
        assertThat(reply.header("Retry-After")).as("whole seconds left of a 2 s block").matches("[12]");
        assertThat(reply.header("Content-Type")).startsWith("application/json");
        assertThat(reply.json().at("/error/details/reason").asText()).isEqualTo("too_many_failed_authentications");
        assertThat(reply.body()).doesNotContain("Exception", "java.", "com.hsrcpay");
    }

    /** A correctly signed token of another account whose payload was changed to this account's, signature kept. */
    private String tampered() {
        String[] parts = TestJwts.forAccount("acct_" + Long.toHexString(System.nanoTime()))
                .permissions("account:api:key:read").sign().split("\\.");
        try {
            ObjectNode claims = (ObjectNode) JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
            claims.put("account_id", account);
            claims.set("permissions", JSON.valueToTree(TestJwts.ALL_KEY_PERMISSIONS));
            String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(JSON.writeValueAsBytes(claims));
            return parts[0] + "." + payload + "." + parts[2];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
