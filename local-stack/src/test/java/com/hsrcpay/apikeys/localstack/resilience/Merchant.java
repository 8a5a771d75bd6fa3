package com.hsrcpay.apikeys.localstack.resilience;

import com.hsrcpay.apikeys.testsupport.TestJwts;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An account of its own and the requests its client sends through the API port. Every write carries an
 * {@code X-Request-Id} of its own, so the event store tells how often each one was applied.
 */
final class Merchant {

    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));

    private static final AtomicLong REQUESTS = new AtomicLong();

    final String account;
    final String token;
    private final LoadGenerator api;

    private Merchant(String account, String token, LoadGenerator api) {
        this.account = account;
        this.token = token;
        this.api = api;
    }

    /** A new account (its name says what it is for) whose requests go to {@code api}. */
    static Merchant named(String purpose, LoadGenerator api) {
        String account = "acct_" + purpose + "_" + Long.toHexString(System.nanoTime());
        return new Merchant(account, TestJwts.forAccount(account).sign(), api);
    }

    /** The same account, its requests sent to another address (the same system after a restart). */
    Merchant via(LoadGenerator other) {
        return new Merchant(account, token, other);
    }

    static Map<String, Object> keyBody(String name, boolean managed) {
        return LoadGenerator.body("name", name, "permissions", READ, "managed", managed);
    }

    LoadGenerator.Request create(String label, Map<String, Object> body, String idempotencyKey) {
        LoadGenerator.Request request = write(label, "POST", "/v1/api-keys/?account_id=" + account).json(body);
        return idempotencyKey == null ? request : request.header("Idempotency-Key", idempotencyKey);
    }

    LoadGenerator.Request patch(String label, String keyId, Map<String, Object> body, String ifMatch) {
        LoadGenerator.Request request = write(label, "PATCH", "/v1/api-keys/" + keyId).json(body);
        return ifMatch == null ? request : request.header("If-Match", ifMatch);
    }

    LoadGenerator.Request regenerate(String label, String keyId, long graceSeconds) {
        return write(label, "POST", "/v1/api-keys/" + keyId + "/regenerate")
                .json(Map.of("grace_period_seconds", graceSeconds));
    }

    LoadGenerator.Request delete(String label, String keyId) {
        return write(label, "DELETE", "/v1/api-keys/" + keyId);
    }

    LoadGenerator.Request revokeForApplication(String label, String applicationId, String keyId) {
        return write(label, "DELETE", "/api/v1/applications/" + applicationId + "/api-keys/" + keyId);
    }

    LoadGenerator.Request whoAmI(String label, String credential) {
        return api.request(label, "GET", "/v1/whoami").bearer(credential);
    }

    /** {@code POST /v1/keys/verify} with a platform credential holding {@code platform:api:key:verify}. */
    LoadGenerator.Request verify(String label, String secret) {
        return api.request(label, "POST", "/v1/keys/verify").bearer(SystemUnderStress.OPERATOR)
                .json(Map.of("key", secret));
    }

    /** Creates a key and insists on its 201: setup, not the scenario. */
    Outcome createKey(String name, boolean managed) {
        return createKey(keyBody(name, managed));
    }

    Outcome createKey(Map<String, Object> body) {
        Outcome created = create("setup create", body, null).send();
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        return created;
    }

    static String newApplicationId() {
        return UUID.randomUUID().toString();
    }

    private LoadGenerator.Request write(String label, String method, String path) {
        return api.request(label, method, path).bearer(token)
                .header("X-Request-Id", "rs-" + REQUESTS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()));
    }
}
