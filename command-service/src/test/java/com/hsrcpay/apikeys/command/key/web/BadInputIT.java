package com.hsrcpay.apikeys.command.key.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hsrcpay.apikeys.shared.key.KeyType;
import com.hsrcpay.apikeys.shared.key.Mode;
import com.hsrcpay.apikeys.shared.secret.SecretFormat;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpStatus;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input against every write endpoint, one row a case: each answers its precise 4xx in the envelope of the API
 * it addressed, names what was wrong, leaks no internals, and leaves the event store exactly as it was.
 */
class BadInputIT extends WriteApiTestBase {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APPLICATION_JSON = "application/json";
    private static final String PERMISSIONS = "'permissions':{'account:api:key':['read']}";
    private static final String VALID = "{'name':'Backend'," + PERMISSIONS + "}";
    private static final String APP = "123e4567-e89b-12d3-a456-426614174000";
    private static final String UNKNOWN_KEY = "0b6f3c55-6a43-4a0e-9d0c-2b1f6f1f2a77";
    private static final String NEW_NAME = "{'name':'New'}";
    private static final String READ = "account:api:key:read";
    private static final int HUGE = 100 * 1024;

    @ParameterizedTest(name = "[{index}] {0}")
    @MethodSource("cases")
    void isRefusedAndChangesNothing(Case c) {
        Request request = c.request().apply(new World()); // creates the keys the case needs
        long before = eventCount();

        HttpApi.Reply reply = request.send();

        String what = c.name() + " answered " + reply;
        assertThat(reply.status()).as(what).isEqualTo(c.status());
        if (c.envelope() == Envelope.APPLICATIONS) {
            assertApplicationsEnvelope(reply, c.status());
        } else {
            assertThat(reply.json().has("success")).as("the /v1 envelope in " + what).isTrue();
            assertErrorEnvelope(reply, c.status());
            if (c.reason() != null) {
                assertThat(reply.json().at("/error/details/reason").asText()).as(what).isEqualTo(c.reason());
            }
            if (c.field() != null) {
                assertThat(reply.json().at("/error/details/field").asText()).as(what).isEqualTo(c.field());
            }
        }
        assertThat(reply.header("Content-Type")).as(what).startsWith(APPLICATION_JSON);
        if (c.status() == 401) {
            assertThat(reply.header("WWW-Authenticate")).as(what).startsWith("Bearer");
        }
        assertThat(reply.body()).as("no internals in the body of " + what)
                .doesNotContain("Exception", "java.", "org.springframework", "com.fasterxml", "com.hsrcpay",
                        "org.axonframework", "\tat ");
        assertThat(eventCount()).as("events in the store after " + c.name()).isEqualTo(before);
    }

    static Stream<Case> cases() {
        return Stream.of(
                // --- create: name
                create("create: name missing", "{" + PERMISSIONS + "}").is(400, "required", "name"),
                create("create: name empty", "{'name':''," + PERMISSIONS + "}").is(400, "required", "name"),
                create("create: name whitespace only", "{'name':'     '," + PERMISSIONS + "}")
                        .is(400, "required", "name"),
                create("create: name with a tab (a control character)", "{'name':'  \\t  '," + PERMISSIONS + "}")
                        .is(400, "invalid_character", "name"),
                create("create: name null", "{'name':null," + PERMISSIONS + "}").is(400, "required", "name"),
                create("create: name of 101 characters", "{'name':'" + "n".repeat(101) + "'," + PERMISSIONS + "}")
                        .is(400, "too_long", "name"),
                create("create: name with a NUL character", "{'name':'Back\\u0000end'," + PERMISSIONS + "}")
                        .is(400, "invalid_character", "name"),
                create("create: name with an unpaired surrogate", "{'name':'Back\\ud800end'," + PERMISSIONS + "}")
                        .is(400, "invalid_character", "name"),
                create("create: name is a number", "{'name':42," + PERMISSIONS + "}").is(400, "invalid_type", "name"),
                create("create: name is an array", "{'name':['Backend']," + PERMISSIONS + "}")
                        .is(400, "invalid_type", "name"),
                create("create: name is an object", "{'name':{'en':'Backend'}," + PERMISSIONS + "}")
                        .is(400, "invalid_type", "name"),
                // --- create: permissions
                create("create: permissions missing", "{'name':'A'}").is(400, "required", "permissions"),
                create("create: permissions as an array", "{'name':'A','permissions':['account:api:key:read']}")
                        .is(400, "invalid_type", "permissions"),
                create("create: permission actions not an array",
                        "{'name':'A','permissions':{'account:api:key':'read'}}")
                        .is(400, "invalid_type", "permissions.account:api:key"),
                create("create: permission action not a string", "{'name':'A','permissions':{'account:api:key':[5]}}")
                        .is(400, "invalid_type", null),
                create("create: permission action null", "{'name':'A','permissions':{'account:api:key':[null]}}")
                        .is(400, "invalid_action", "permissions.account:api:key"),
                create("create: permission actions empty", "{'name':'A','permissions':{'account:api:key':[]}}")
                        .is(400, "invalid_actions", "permissions.account:api:key"),
                create("create: permission resource malformed", "{'name':'A','permissions':{'Account Key':['read']}}")
                        .is(400, "invalid_resource", "permissions"),
                create("create: 51 permission resources", withPermissions(51, 1)).is(400, "too_many", "permissions"),
                create("create: 21 actions for one resource", withPermissions(1, 21))
                        .is(400, "invalid_actions", "permissions.r0"),
                // --- create: the JSON itself
                create("create: unknown top-level field", "{'name':'A'," + PERMISSIONS + ",'nmae':'typo'}")
                        .is(400, "unknown_field", "nmae"),
                create("create: invalid JSON", "{'name':'A',").is(400, "malformed_json", "body"),
                create("create: invalid JSON inside permissions",
                        "{'name':'A','permissions':{'account:api:key':[read]}}")
                        .is(400, "malformed_json", "body"),
                create("create: trailing garbage after the JSON", VALID + " xyz").is(400, "malformed_json", "body"),
                create("create: a second JSON document after the first", VALID + VALID)
                        .is(400, "malformed_json", "body"),
                create("create: duplicate JSON key", "{'name':'A','name':'B'," + PERMISSIONS + "}")
                        .is(400, "malformed_json", "body"),
                create("create: duplicate JSON key inside permissions",
                        "{'name':'A','permissions':{'account:api:key':['read'],'account:api:key':['create']}}")
                        .is(400, "malformed_json", "body"),
                create("create: JSON nested 2000 levels deep", "{'name':'A'," + PERMISSIONS
                        + ",'metadata':{'deep':" + "[".repeat(2000) + "]".repeat(2000) + "}}").is(400, null, null),
                create("create: empty body", "").is(400, "missing_body", "body"),
                create("create: body is JSON null", "null").is(400, "missing_body", "body"),
                create("create: body is a JSON array", "[" + VALID + "]").is(400, null, null),
                create("create: body is a JSON string", "'Backend'").is(400, null, null),
                call("create: text/plain body", w -> w.createCall().rawBody("text/plain", json(VALID)))
                        .is(415, "unsupported_media_type", "Content-Type"),
                call("create: form-encoded body", w -> w.createCall()
                        .rawBody("application/x-www-form-urlencoded", "name=Backend"))
                        .is(415, "unsupported_media_type", "Content-Type"),
                call("create: body over 64 KiB with Content-Length", w -> w.createCall()
                        .rawBody(APPLICATION_JSON, hugeCreateBody())).is(413, "body_too_large", null),
                call("create: body over 64 KiB chunked", w -> w.chunked("POST", w.createPath(), hugeCreateBody()))
                        .is(413, "body_too_large", null),
                // --- create: the other fields
                create("create: application_id not a UUID", withField("application_id", "'app-1'"))
                        .is(400, "invalid_uuid", "application_id"),
                create("create: application_id a number", withField("application_id", "7"))
                        .is(400, "invalid_type", "application_id"),
                create("create: expires_at in the past", withField("expires_at", "'2020-01-01T00:00:00Z'"))
                        .is(400, "not_in_future", "expires_at"),
                create("create: expires_at in the year 300000", withField("expires_at", "'+300000-01-01T00:00:00Z'"))
                        .is(400, "out_of_range", "expires_at"),
                create("create: expires_at malformed", withField("expires_at", "'next tuesday'"))
                        .is(400, "invalid_type", "expires_at"),
                create("create: expires_at a date without a time", withField("expires_at", "'2099-01-01'"))
                        .is(400, "invalid_type", "expires_at"),
                create("create: expires_at as a number (future epoch seconds)", withField("expires_at", "4102444800"))
                        .is(400, "invalid_type", "expires_at"),
                create("create: expires_at as a fractional number", withField("expires_at", "4102444800.5"))
                        .is(400, "invalid_type", "expires_at"),
                create("create: type unknown", withField("type", "'ROOT'")).is(400, "invalid_type", "type"),
                create("create: type in lower case", withField("type", "'secret'")).is(400, "invalid_type", "type"),
                create("create: type as a number", withField("type", "0")).is(400, "invalid_type", "type"),
                create("create: managed as a string", withField("managed", "'true'"))
                        .is(400, "invalid_type", "managed"),
                create("create: managed as a number", withField("managed", "1")).is(400, "invalid_type", "managed"),
                create("create: metadata as an array", withField("metadata", "['team']"))
                        .is(400, "invalid_type", "metadata"),
                create("create: metadata with 51 entries", withMetadata(manyEntries(51)))
                        .is(400, "too_many", "metadata"),
                create("create: metadata key of 41 characters", withMetadata(Map.of("k".repeat(41), "v")))
                        .is(400, "invalid_key", "metadata"),
                create("create: metadata value a nested object", withMetadata(Map.of("team", Map.of("a", "b"))))
                        .is(400, "not_scalar", "metadata.team"),
                create("create: metadata value an array", withMetadata(Map.of("team", List.of("a"))))
                        .is(400, "not_scalar", "metadata.team"),
                create("create: metadata value of 501 characters", withMetadata(Map.of("team", "v".repeat(501))))
                        .is(400, "too_long", "metadata.team"),
                create("create: metadata value with a NUL character", withMetadata(Map.of("team", "pay\0ments")))
                        .is(400, "invalid_character", "metadata.team"),
                create("create: metadata key with a NUL character", withMetadata(Map.of("te\0am", "payments")))
                        .is(400, "invalid_character", "metadata"),
                create("create: metadata value with an unpaired surrogate", withField("metadata", "{'team':'\\udc00'}"))
                        .is(400, "invalid_character", "metadata.team"),
                // --- create: headers and query
                call("create: Idempotency-Key of 256 characters", w -> w.createCall()
                        .header("Idempotency-Key", "k".repeat(256))).is(400, "invalid_value", "Idempotency-Key"),
                call("create: Idempotency-Key with a space", w -> w.createCall().header("Idempotency-Key", "two words"))
                        .is(400, "invalid_value", "Idempotency-Key"),
                call("create: Idempotency-Key empty", w -> w.createCall().header("Idempotency-Key", ""))
                        .is(400, "invalid_value", "Idempotency-Key"),
                call("create: Idempotency-Key with a control character", w -> w.raw("POST", w.createPath(),
                        "Idempotency-Key: k" + (char) 0x85 + "k", json(VALID))).is(400, "rejected_request", null),
                call("create: invalid body with an Idempotency-Key", w -> w.createCall()
                        .header("Idempotency-Key", "bad-" + w.account).rawBody(APPLICATION_JSON, json("{'name':''}")))
                        .is(400, "required", "name"),
                call("create: Accept application/xml", w -> w.createCall().header("Accept", "application/xml"))
                        .is(406, "not_acceptable", null),
                call("create: account_id query parameter missing", w -> w.createCall().path("/v1/api-keys/"))
                        .is(400, "required", "account_id"),
                call("create: another account's account_id", w -> w.createCall()
                        .path("/v1/api-keys/?account_id=" + newAccount())).is(403, "account_mismatch", "account_id"),
                call("create: account_id twice", w -> w.createCall().path(w.createPath() + "&account_id=x"))
                        .is(403, "account_mismatch", "account_id"),
                call("create: account_id with a control character", w -> w.createCall().path(w.createPath() + "%07"))
                        .is(403, "account_mismatch", "account_id"),
                call("create: token with only the read permission", w -> w.createCall(w.tokenWith(READ)))
                        .is(403, "missing_permission", null),
                call("create: publishable key pk_live_", w -> w.createCall(publishableKey(Mode.LIVE)))
                        .is(403, "publishable_key", null),
                call("create: publishable key pk_test_", w -> w.createCall(publishableKey(Mode.TEST)))
                        .is(403, "publishable_key", null),
                // --- credentials
                call("auth: no Authorization header", w -> w.createCall().header("Authorization", null))
                        .is(401, "unauthenticated", null),
                call("auth: Authorization Basic", w -> w.createCall()
                        .header("Authorization", "Basic " + base64("user:password"))).is(401, "unauthenticated", null),
                call("auth: Bearer without a token", w -> w.createCall().header("Authorization", "Bearer "))
                        .is(401, null, null),
                call("auth: Bearer garbage", w -> w.createCall("not-a-jwt")).is(401, "invalid_token", null),
                call("auth: expired JWT", w -> w.createCall(TestJwts.forAccount(w.account)
                        .expiresAt(Instant.now().minus(Duration.ofMinutes(5))).sign())).is(401, "invalid_token", null),
                call("auth: JWT not valid before 5 minutes from now", w -> w.createCall(TestJwts.forAccount(w.account)
                        .notBefore(Instant.now().plus(Duration.ofMinutes(5))).sign())).is(401, "invalid_token", null),
                call("auth: JWT payload changed after signing", w -> w.createCall(tampered(
                        TestJwts.forAccount(newAccount()).permissions(READ).sign(), w.account)))
                        .is(401, "invalid_token", null),
                call("auth: JWT signed with another secret", w -> w.createCall(TestJwts.forAccount(w.account)
                        .signedWith("another-secret-of-at-least-32-bytes-0123456789").sign()))
                        .is(401, "invalid_token", null),
                call("auth: JWT with alg none", w -> w.createCall(TestJwts.forAccount(w.account).unsigned()))
                        .is(401, "invalid_token", null),
                call("auth: JWT without account_id", w -> w.createCall(new TestJwts.Token("user_1", null,
                        TestJwts.ALL_KEY_PERMISSIONS, "live", Instant.now().plusSeconds(3600), null,
                        TestJwts.HMAC_SECRET).sign())).is(401, "invalid_token", null),
                call("auth: JWT with an unknown mode", w -> w.createCall(TestJwts.forAccount(w.account).mode("prod")
                        .sign())).is(401, "invalid_token", null),
                call("auth: secret key credential", w -> w.createCall(
                        SecretFormat.issue(KeyType.SECRET, Mode.LIVE, new SecureRandom()).plaintext()))
                        .is(401, "invalid_token", null),
                call("auth: malformed publishable key", w -> w.createCall("pk_live_not-a-real-key"))
                        .is(401, "invalid_token", null),
                // --- patch
                call("patch: id not a UUID", w -> w.patch("not-a-uuid", NEW_NAME)).is(404, "not_found", null),
                call("patch: id a UUID without dashes", w -> w.patch(UNKNOWN_KEY.replace("-", ""), NEW_NAME))
                        .is(404, "not_found", null),
                call("patch: id of no key", w -> w.patch(UNKNOWN_KEY, NEW_NAME)).is(404, "not_found", null),
                call("patch: id with a path parameter", w -> w.patch("not-a-uuid;v=1", NEW_NAME))
                        .is(400, "rejected_request", null),
                call("patch: key id with a path parameter", w -> w.patch(w.liveKey() + ";v=1", NEW_NAME))
                        .is(400, "rejected_request", null),
                patch("patch: status REVOKED", "{'status':'REVOKED'}").is(400, "invalid_status", "status"),
                patch("patch: status EXPIRED", "{'status':'EXPIRED'}").is(400, "invalid_status", "status"),
                patch("patch: status in lower case", "{'status':'inactive'}").is(400, "invalid_status", "status"),
                patch("patch: status as a number", "{'status':1}").is(400, "invalid_type", "status"),
                patch("patch: valid name with an invalid status", "{'name':'New','status':'GONE'}")
                        .is(400, "invalid_status", "status"),
                patch("patch: unknown field", "{'nmae':'New'}").is(400, "unknown_field", "nmae"),
                patch("patch: the secret itself", "{'key':'sk_live_x'}").is(400, "unknown_field", "key"),
                patch("patch: empty object", "{}").is(400, "nothing_to_change", null),
                patch("patch: body is an array", "[" + NEW_NAME + "]").is(400, "not_an_object", "body"),
                patch("patch: empty body", "").is(400, "missing_body", "body"),
                patch("patch: invalid JSON", "{'name':").is(400, "malformed_json", "body"),
                patch("patch: duplicate JSON key", "{'name':'A','name':'B'}").is(400, "malformed_json", "body"),
                patch("patch: name of 101 characters", "{'name':'" + "n".repeat(101) + "'}")
                        .is(400, "too_long", "name"),
                patch("patch: name with a NUL character", "{'name':'Ne\\u0000w'}").is(400, "invalid_character", "name"),
                patch("patch: name null", "{'name':null}").is(400, "invalid_type", "name"),
                patch("patch: name whitespace only", "{'name':'   '}").is(400, "required", "name"),
                patch("patch: permissions null", "{'permissions':null}").is(400, "required", "permissions"),
                patch("patch: permissions as an array", "{'permissions':['account:api:key:read']}")
                        .is(400, "invalid_type", "permissions"),
                patch("patch: expires_at in the past", "{'expires_at':'2020-01-01T00:00:00Z'}")
                        .is(400, "not_in_future", "expires_at"),
                patch("patch: expires_at as a number", "{'expires_at':4102444800}")
                        .is(400, "invalid_type", "expires_at"),
                patch("patch: metadata value a nested object", "{'metadata':{'a':{'b':'c'}}}")
                        .is(400, "not_scalar", "metadata.a"),
                call("patch: malformed If-Match", w -> w.patch(w.liveKey(), NEW_NAME).header("If-Match", "version-one"))
                        .is(400, "invalid_value", "If-Match"),
                call("patch: If-Match with two versions", w -> w.patch(w.liveKey(), NEW_NAME)
                        .header("If-Match", "\"1\", \"2\"")).is(400, "invalid_value", "If-Match"),
                call("patch: text/plain body", w -> w.patch(w.liveKey(), NEW_NAME).rawBody("text/plain", "New"))
                        .is(415, "unsupported_media_type", "Content-Type"),
                call("patch: body over 64 KiB chunked", w -> w.chunked("PATCH", "/v1/api-keys/" + w.liveKey(),
                        json("{'name':'" + "n".repeat(HUGE) + "'}"))).is(413, "body_too_large", null),
                call("patch: Accept text/html", w -> w.patch(w.liveKey(), NEW_NAME).header("Accept", "text/html"))
                        .is(406, "not_acceptable", null),
                call("patch: PUT instead of PATCH", w -> w.patch(w.liveKey(), NEW_NAME).method("PUT"))
                        .is(405, "method_not_allowed", null),
                call("patch: sandbox token on a live key", w -> w.patch(w.liveKey(), NEW_NAME).bearer(w.sandboxToken()))
                        .is(404, "not_found", null),
                call("patch: another account's token", w -> w.patch(w.liveKey(), NEW_NAME).bearer(strangerToken()))
                        .is(404, "not_found", null),
                call("patch: token without the update permission", w -> w.patch(w.liveKey(), NEW_NAME)
                        .bearer(w.tokenWith(READ, "account:api:key:create"))).is(403, "missing_permission", null),
                call("patch: publishable key", w -> w.patch(w.liveKey(), NEW_NAME).bearer(publishableKey(Mode.LIVE)))
                        .is(403, "publishable_key", null),
                // --- regenerate
                call("regenerate: id not a UUID", w -> w.regenerate("not-a-uuid", null)).is(404, "not_found", null),
                call("regenerate: id of no key", w -> w.regenerate(UNKNOWN_KEY, null)).is(404, "not_found", null),
                regenerate("regenerate: grace_period_seconds 86401", "{'grace_period_seconds':86401}")
                        .is(400, "out_of_range", "grace_period_seconds"),
                regenerate("regenerate: grace_period_seconds negative", "{'grace_period_seconds':-1}")
                        .is(400, "out_of_range", "grace_period_seconds"),
                regenerate("regenerate: grace_period_seconds as a string", "{'grace_period_seconds':'60'}")
                        .is(400, "invalid_type", "grace_period_seconds"),
                regenerate("regenerate: grace_period_seconds fractional", "{'grace_period_seconds':1.5}")
                        .is(400, "invalid_type", "grace_period_seconds"),
                regenerate("regenerate: grace_period_seconds beyond a long",
                        "{'grace_period_seconds':100000000000000000000}").is(400, null, "grace_period_seconds"),
                regenerate("regenerate: unknown field", "{'grace':60}").is(400, "unknown_field", "grace"),
                regenerate("regenerate: invalid JSON", "{'grace_period_seconds':").is(400, "malformed_json", "body"),
                call("regenerate: text/plain body", w -> w.regenerate(w.managedKey(), "{}").rawBody("text/plain", "60"))
                        .is(415, "unsupported_media_type", "Content-Type"),
                call("regenerate: sandbox token on a live key", w -> w.regenerate(w.managedKey(), null)
                        .bearer(w.sandboxToken())).is(404, "not_found", null),
                call("regenerate: another account's token", w -> w.regenerate(w.managedKey(), null)
                        .bearer(strangerToken())).is(404, "not_found", null),
                call("regenerate: token without the update permission", w -> w.regenerate(w.managedKey(), null)
                        .bearer(w.tokenWith(READ))).is(403, "missing_permission", null),
                // --- delete
                call("delete: id not a UUID", w -> w.delete("not-a-uuid")).is(404, "not_found", null),
                call("delete: id of no key", w -> w.delete(UNKNOWN_KEY)).is(404, "not_found", null),
                call("delete: id an encoded dot-dot", w -> w.delete("%2e%2e")).is(400, "rejected_request", null),
                call("delete: sandbox token on a live key", w -> w.delete(w.liveKey()).bearer(w.sandboxToken()))
                        .is(404, "not_found", null),
                call("delete: another account's token", w -> w.delete(w.liveKey()).bearer(strangerToken()))
                        .is(404, "not_found", null),
                call("delete: token without the delete permission", w -> w.delete(w.liveKey())
                        .bearer(w.tokenWith("account:api:key:update"))).is(403, "missing_permission", null),
                call("delete: no Authorization header", w -> w.delete(w.liveKey()).header("Authorization", null))
                        .is(401, "unauthenticated", null),
                call("delete: Accept application/xml", w -> w.delete(w.liveKey()).header("Accept", "application/xml"))
                        .is(406, "not_acceptable", null),
                // --- the applications API
                call("applications: application id not a UUID", w -> w.revoke("app-1", w.appKey()))
                        .in(Envelope.APPLICATIONS).is(404, null, null),
                call("applications: key id not a UUID", w -> w.revoke(APP, "key-1"))
                        .in(Envelope.APPLICATIONS).is(404, null, null),
                call("applications: both ids not UUIDs", w -> w.revoke("1", "2"))
                        .in(Envelope.APPLICATIONS).is(404, null, null),
                call("applications: key id with a path parameter", w -> w.revoke(APP, w.appKey() + ";v=1"))
                        .in(Envelope.APPLICATIONS).is(400, null, null),
                call("applications: key of another application", w -> w.revoke(UNKNOWN_KEY, w.appKey()))
                        .in(Envelope.APPLICATIONS).is(404, null, null),
                call("applications: sandbox token on a live key", w -> w.revoke(APP, w.appKey())
                        .bearer(w.sandboxToken())).in(Envelope.APPLICATIONS).is(404, null, null),
                call("applications: another account's token", w -> w.revoke(APP, w.appKey()).bearer(strangerToken()))
                        .in(Envelope.APPLICATIONS).is(404, null, null),
                call("applications: no Authorization header", w -> w.revoke(APP, w.appKey())
                        .header("Authorization", null)).in(Envelope.APPLICATIONS).is(401, null, null),
                call("applications: expired JWT", w -> w.revoke(APP, w.appKey()).bearer(TestJwts.forAccount(w.account)
                        .expiresAt(Instant.now().minus(Duration.ofMinutes(5))).sign()))
                        .in(Envelope.APPLICATIONS).is(401, null, null),
                call("applications: token without the delete permission", w -> w.revoke(APP, w.appKey())
                        .bearer(w.tokenWith(READ))).in(Envelope.APPLICATIONS).is(403, null, null),
                call("applications: publishable key", w -> w.revoke(APP, w.appKey()).bearer(publishableKey(Mode.LIVE)))
                        .in(Envelope.APPLICATIONS).is(403, null, null),
                call("applications: Accept application/xml", w -> w.revoke(APP, w.appKey())
                        .header("Accept", "application/xml")).in(Envelope.APPLICATIONS).is(406, null, null));
    }

    // ---------------------------------------------------------------- assertions

    static void assertApplicationsEnvelope(HttpApi.Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        JsonNode body = reply.json();
        assertThat(body.get("error").asText()).as(reply.toString())
                .isEqualTo(HttpStatus.valueOf(status).getReasonPhrase());
        assertThat(body.get("message").asText()).as(reply.toString()).isNotBlank();
        assertThat(body.get("code").asInt()).as(reply.toString()).isEqualTo(status);
        assertThat(body.get("details").isArray()).as(reply.toString()).isTrue();
        for (JsonNode detail : body.get("details")) {
            assertThat(detail.get("field").isTextual()).as(reply.toString()).isTrue();
            assertThat(detail.get("message").asText()).as(reply.toString()).isNotBlank();
        }
        assertThat(body.has("success")).as("the applications API has its own envelope: " + reply).isFalse();
    }

    // ---------------------------------------------------------------- the table

    enum Envelope { V1, APPLICATIONS }

    /** Sends the request of a case; built first so the keys it needs exist before the events are counted. */
    interface Request {
        HttpApi.Reply send();
    }

    record Case(String name, Function<World, Request> request, Envelope envelope, int status, String reason,
                String field) {

        Case is(int status, String reason, String field) {
            return new Case(name, request, envelope, status, reason, field);
        }

        Case in(Envelope value) {
            return new Case(name, request, value, status, reason, field);
        }

        @Override
        public String toString() {
            return name + " -> " + status;
        }
    }

    static Case call(String name, Function<World, ? extends Request> request) {
        return new Case(name, request::apply, Envelope.V1, 0, null, null);
    }

    /** A create request for the case's own account with an all-permissions token; ' stands for ". */
    static Case create(String name, String body) {
        return call(name, w -> w.createCall().rawBody(APPLICATION_JSON, json(body)));
    }

    /** A patch of a live custom key of the case's own account, with its own token. */
    static Case patch(String name, String body) {
        return call(name, w -> w.patch(w.liveKey(), body));
    }

    /** A regenerate of a live managed key of the case's own account, with its own token. */
    static Case regenerate(String name, String body) {
        return call(name, w -> w.regenerate(w.managedKey(), body));
    }

    static String strangerToken() {
        return tokenFor(newAccount());
    }

    /** The state one case needs: its own account, and the keys it asks for, created on first use. */
    final class World {
        final String account = newAccount();
        private String liveKey;
        private String managedKey;
        private String appKey;

        String token() {
            return tokenFor(account);
        }

        String sandboxToken() {
            return TestJwts.forAccount(account).mode("test").sign();
        }

        String tokenWith(String... permissions) {
            return TestJwts.forAccount(account).permissions(permissions).sign();
        }

        String createPath() {
            return "/v1/api-keys/?account_id=" + account;
        }

        Call createCall() {
            return createCall(token());
        }

        Call createCall(String bearer) {
            return new Call("POST", createPath()).bearer(bearer).rawBody(APPLICATION_JSON, json(VALID));
        }

        Call patch(String id, String body) {
            return new Call("PATCH", "/v1/api-keys/" + id).bearer(token()).rawBody(APPLICATION_JSON, json(body));
        }

        Call regenerate(String id, String body) {
            Call call = new Call("POST", "/v1/api-keys/" + id + "/regenerate").bearer(token());
            return body == null ? call : call.rawBody(APPLICATION_JSON, json(body));
        }

        Call delete(String id) {
            return new Call("DELETE", "/v1/api-keys/" + id).bearer(token());
        }

        Call revoke(String applicationId, String keyId) {
            return new Call("DELETE", "/api/v1/applications/" + applicationId + "/api-keys/" + keyId).bearer(token());
        }

        String liveKey() {
            if (liveKey == null) {
                liveKey = createKey(account, false).get("id").asText();
            }
            return liveKey;
        }

        String managedKey() {
            if (managedKey == null) {
                managedKey = createKey(account, true).get("id").asText();
            }
            return managedKey;
        }

        String appKey() {
            if (appKey == null) {
                HttpApi.Reply reply = create(account, Map.of("name", "App key", "permissions", READ_CREATE,
                        "application_id", APP));
                assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
                appKey = reply.json().at("/data/id").asText();
            }
            return appKey;
        }

        /** A body without Content-Length (Transfer-Encoding: chunked), which HttpApi does not send. */
        Request chunked(String method, String path, String body) {
            return () -> {
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                        .timeout(Duration.ofSeconds(30))
                        .header("Content-Type", APPLICATION_JSON)
                        .header("Authorization", "Bearer " + token())
                        .method(method, HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
                        .build();
                try {
                    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
                    return new HttpApi.Reply(response.statusCode(), response.headers(), response.body());
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            };
        }

        /** HTTP/1.0 over a socket with ISO-8859-1 header bytes, which no client library sends. */
        Request raw(String method, String path, String extraHeader, String body) {
            return () -> {
                byte[] content = body.getBytes(StandardCharsets.UTF_8);
                String head = method + " " + path + " HTTP/1.0\r\nHost: localhost\r\nAuthorization: Bearer " + token()
                        + "\r\nContent-Type: " + APPLICATION_JSON + "\r\nContent-Length: " + content.length + "\r\n"
                        + extraHeader + "\r\n\r\n";
                try (Socket socket = new Socket("localhost", port)) {
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
                    out.write(content);
                    out.flush();
                    String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    int split = response.indexOf("\r\n\r\n");
                    String[] lines = response.substring(0, split).split("\r\n");
                    Map<String, List<String>> headers = new LinkedHashMap<>();
                    for (int i = 1; i < lines.length; i++) {
                        int colon = lines[i].indexOf(':');
                        headers.computeIfAbsent(lines[i].substring(0, colon).trim(), h -> new ArrayList<>())
                                .add(lines[i].substring(colon + 1).trim());
                    }
                    return new HttpApi.Reply(Integer.parseInt(lines[0].split(" ")[1]),
                            HttpHeaders.of(headers, (name, value) -> true), response.substring(split + 4));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
        }
    }

    /** A request a case can still reshape (method, path, headers, body) before it goes out through HttpApi. */
    final class Call implements Request {
        private String method;
        private String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String contentType;
        private String body;

        Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Call method(String value) {
            method = value;
            return this;
        }

        Call path(String value) {
            path = value;
            return this;
        }

        /** Sets a header; {@code null} leaves it out. */
        Call header(String name, String value) {
            if (value == null) {
                headers.remove(name);
            } else {
                headers.put(name, value);
            }
            return this;
        }

        Call bearer(String token) {
            return header("Authorization", "Bearer " + token);
        }

        Call rawBody(String type, String value) {
            contentType = type;
            body = value;
            return this;
        }

        @Override
        public HttpApi.Reply send() {
            HttpApi.Call call = api().call(method, path);
            headers.forEach(call::header);
            if (body != null) {
                call.rawBody(contentType, body);
            }
            return call.send();
        }
    }

    // ---------------------------------------------------------------- inputs

    /** JSON written with ' for " so the table stays readable. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** A valid create body plus one more field, its value in the table's ' notation. */
    static String withField(String field, String value) {
        return "{'name':'A'," + PERMISSIONS + ",'" + field + "':" + value + "}";
    }

    static String withMetadata(Map<String, Object> metadata) {
        try {
            ObjectNode body = (ObjectNode) JSON.readTree(json(VALID));
            body.set("metadata", JSON.valueToTree(metadata));
            return JSON.writeValueAsString(body).replace('"', '\'');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String withPermissions(int resources, int actions) {
        Map<String, Object> permissions = new LinkedHashMap<>();
        for (int r = 0; r < resources; r++) {
            List<String> names = new ArrayList<>();
            for (int a = 0; a < actions; a++) {
                names.add("a" + a);
            }
            permissions.put("r" + r, names);
        }
        try {
            return JSON.writeValueAsString(Map.of("name", "A", "permissions", permissions)).replace('"', '\'');
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Object> manyEntries(int count) {
        Map<String, Object> entries = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) {
            entries.put("k" + i, "v");
        }
        return entries;
    }

    static String hugeCreateBody() {
        return json("{'name':'Backend'," + PERMISSIONS + ",'metadata':{'pad':'" + "p".repeat(HUGE) + "'}}");
    }

    static String publishableKey(Mode mode) {
        return SecretFormat.issue(KeyType.PUBLISHABLE, mode, new SecureRandom()).plaintext();
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** The token with its payload's account_id and permissions replaced, the original signature kept. */
    static String tampered(String token, String account) {
        String[] parts = token.split("\\.");
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
