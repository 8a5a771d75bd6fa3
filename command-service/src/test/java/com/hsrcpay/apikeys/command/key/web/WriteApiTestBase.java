package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.hsrcpay.apikeys.command.CommandServiceApplication;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.RealInfrastructure;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The command service on a random port against a real PostgreSQL (Testcontainers or embedded), driven over
 * HTTP with real JWTs. One context for all subclasses; each test uses its own account so tests never meet.
 */
@SpringBootTest(classes = CommandServiceApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"kms.auth.jwt.hmac-secret=" + TestJwts.HMAC_SECRET,
                // keys as credentials need the read side's key lookup and Kafka: tested with both services
                "kms.verification.enabled=false"})
abstract class WriteApiTestBase {

    static final Map<String, List<String>> READ_CREATE = Map.of("account:api:key", List.of("read", "create"));

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        RealInfrastructure.registerPostgres(registry);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcTemplate jdbc;

    HttpApi api() {
        return HttpApi.onPort(port);
    }

    static String newAccount() {
        return "acct_" + Long.toHexString(System.nanoTime());
    }

    static String tokenFor(String account) {
        return TestJwts.forAccount(account).sign();
    }

    HttpApi.Reply create(String account, Map<String, Object> body) {
        return api().post("/v1/api-keys/?account_id=" + account).bearer(tokenFor(account)).json(body).send();
    }

    JsonNode createKey(String account, boolean managed) {
        HttpApi.Reply reply = create(account, Map.of("name", "Backend", "permissions", READ_CREATE, "managed", managed));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("data");
    }

    long eventCount() {
        return jdbc.queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class);
    }

    long eventCount(String keyId) {
        return jdbc.queryForObject(
                "SELECT count(*) FROM event_store.domain_event_entry WHERE aggregate_identifier = ?", Long.class, keyId);
    }

    static void assertErrorEnvelope(HttpApi.Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        JsonNode body = reply.json();
        assertThat(body.get("success").asBoolean()).as(reply.toString()).isFalse();
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.at("/error/code").asInt()).isEqualTo(status);
        assertThat(body.at("/error/message").asText()).isNotBlank();
        assertThat(body.at("/error/details/reason").asText()).as(reply.toString()).isNotBlank();
    }
}
