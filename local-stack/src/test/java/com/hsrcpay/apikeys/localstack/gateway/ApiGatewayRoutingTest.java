package com.hsrcpay.apikeys.localstack.gateway;

import com.hsrcpay.apikeys.localstack.Envelopes;
import com.hsrcpay.apikeys.localstack.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway forwards exactly the routes of its table, each to its service, and answers everything else itself. */
class ApiGatewayRoutingTest {

    private static final String KEY = "9b1f0e0a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";

    private final GatewayUnderTest stack = new GatewayUnderTest();

    @AfterEach
    void stop() {
        stack.close();
    }

    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource(delimiter = ' ', value = {
            "POST /v1/api-keys/?account_id=acct_dev command",
            "POST /v1/api-keys command",
            "PATCH /v1/api-keys/" + KEY + " command",
            "POST /v1/api-keys/" + KEY + "/regenerate command",
            "DELETE /v1/api-keys/" + KEY + " command",
            "DELETE /api/v1/applications/app_1/api-keys/" + KEY + " command",
            "GET /v1/api-keys/?account_id=acct_dev&page=1&limit=10 query",
            "GET /v1/api-keys query",
            "HEAD /v1/api-keys/" + KEY + " query",
            "GET /v1/api-keys/" + KEY + "?as_of=2026-01-01T00:00:00Z query",
            "GET /v1/api-keys/" + KEY + "/history?page=1 query",
            "GET /v1/api-keys/" + KEY + "/history/verify query",
            "GET /v1/audit/events?account_id=acct_dev&from=2026-01-01T00:00:00Z&to=2027-01-01T00:00:00Z query",
            "POST /v1/keys/verify query",
            "GET /v1/whoami query",
            "GET /v1/transparency/checkpoint query",
            "GET /v1/transparency/public-key query",
            "GET /v1/transparency/consistency?first=1&second=2 query",
            "HEAD /v1/transparency/checkpoint query",
            "GET /v1/api-keys/" + KEY + "/history/0/proof?tree_size=1 query",
            "GET /swagger-ui.html command",
            "GET /swagger-ui/index.html command",
            "GET /swagger-ui/swagger-ui-bundle.js command",
            "GET /v3/api-docs/swagger-config command",
            "GET /v3/asyncapi.json query",
            "HEAD /v3/asyncapi.json query",
            "POST /v1/webhook-endpoints?account_id=acct_dev query",
            "GET /v1/webhook-endpoints?account_id=acct_dev query",
            "PATCH /v1/webhook-endpoints/" + KEY + " query",
            "DELETE /v1/webhook-endpoints/" + KEY + " query",
            "POST /v1/webhook-endpoints/" + KEY + "/deliveries/" + KEY + "/retry query",
    })
    void aKnownRouteReachesItsServiceUnchanged(String method, String target, String service) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.request(method, target, "Content-Length: 0"));

        RecordingUpstream expected = service.equals("command") ? stack.command : stack.query;
        RecordingUpstream other = service.equals("command") ? stack.query : stack.command;
        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(expected.received()).singleElement().satisfies(received -> {
            assertThat(received.method()).isEqualTo(method);
            assertThat(received.target()).isEqualTo(target);
        });
        assertThat(other.received()).isEmpty();
    }

    /** Other paths under /v1 (exposure, a write to the transparency log's paths) go to the command service. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ' ', value = {
            "POST /v1/webhook-endpointsx",
            "POST /v1/transparency/checkpoint",
            "POST /v1/secret-scanning/github",
            "POST /v1/keys/report-exposure"})
    void pathsTheContractAddsLaterUnderV1GoToTheCommandService(String method, String target) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.request(method, target, "Content-Length: 0"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(stack.command.received()).singleElement().satisfies(r -> assertThat(r.target()).isEqualTo(target));
        assertThat(stack.query.received()).isEmpty();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ' ', value = {
            "GET /actuator",
            "GET /actuator/health",
            "GET /actuator/health/readiness",
            "GET /actuator/prometheus",
            "POST /actuator/shutdown",
            "GET /admin/projections/key-list/replay",
            "POST /admin/projections/key-list/replay",
            "GET /error",
            "GET /",
            "GET /favicon.ico",
            "GET /v2/api-keys",
            "GET /v1x/whoami",
            "GET /v3/api-docs/whole-api",
            "POST /v3/asyncapi.json",
            "GET /x/v1/whoami",
            "POST /v3/api-docs"})
    void everyOtherPathIs404AtTheGatewayAndReachesNoService(String method, String target) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.request(method, target, "Content-Length: 0"));

        assertThat(Envelopes.assertV1Error(answer, 404)).isEqualTo("not_found");
        assertThat(stack.nothingForwarded()).as("nothing reached a service").isTrue();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = ' ', value = {
            "GET /api/v1/applications/app_1/api-keys/" + KEY,
            "DELETE /api/v1/applications/app_1",
            "DELETE /api/v1/applications/app_1/api-keys",
            "DELETE /api/v1/other"})
    void unknownApplicationsPathsAre404InTheApplicationsEnvelope(String method, String target) {
        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.request(method, target, "Content-Length: 0"));

        Envelopes.assertApplicationsError(answer, 404);
        assertThat(stack.nothingForwarded()).as("nothing reached a service").isTrue();
    }

    @Test
    void theApiDocumentIsBothServicesDocumentsMergedByTheGateway() {
        stack.command.answerWith(RecordingUpstream.json(200, """
                {"openapi":"3.0.1","info":{"title":"command"},"paths":{"/v1/api-keys/":{"post":{"operationId":"createKey"}}}}"""));
        stack.query.answerWith(RecordingUpstream.json(200, """
                {"openapi":"3.0.1","info":{"title":"query"},"paths":{"/v1/api-keys/":{"get":{"operationId":"listKeys"}}}}"""));

        RawHttp.Answer answer = RawHttp.send(stack.port(), RawHttp.get("/v3/api-docs"));

        assertThat(answer.status()).as(answer.toString()).isEqualTo(200);
        assertThat(answer.body()).contains("createKey", "listKeys");
        assertThat(stack.command.received()).extracting(RecordingUpstream.Received::target).containsExactly("/v3/api-docs");
        assertThat(stack.query.received()).extracting(RecordingUpstream.Received::target).containsExactly("/v3/api-docs");
    }
}
