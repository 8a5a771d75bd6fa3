package com.hsrcpay.apikeys.localstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.client.ApiClient;
import com.hsrcpay.apikeys.client.ApiException;
import com.hsrcpay.apikeys.client.ApiResponse;
import com.hsrcpay.apikeys.client.api.ApiKeysApi;
import com.hsrcpay.apikeys.client.api.ApplicationsApi;
import com.hsrcpay.apikeys.client.api.AuditApi;
import com.hsrcpay.apikeys.client.api.VerificationApi;
import com.hsrcpay.apikeys.client.model.ApiKey;
import com.hsrcpay.apikeys.client.model.CreateKeyRequest;
import com.hsrcpay.apikeys.client.model.CreditCost;
import com.hsrcpay.apikeys.client.model.CreditsAdjustmentRequest;
import com.hsrcpay.apikeys.client.model.CreditsRefill;
import com.hsrcpay.apikeys.client.model.CreditsRequest;
import com.hsrcpay.apikeys.client.model.HistoryEntry;
import com.hsrcpay.apikeys.client.model.KeyPatch;
import com.hsrcpay.apikeys.client.model.LimitLeft;
import com.hsrcpay.apikeys.client.model.RateLimit;
import com.hsrcpay.apikeys.client.model.RateLimitRequest;
import com.hsrcpay.apikeys.client.model.RefillRequest;
import com.hsrcpay.apikeys.client.model.RegenerateKeyRequest;
import com.hsrcpay.apikeys.client.model.SingleApiKey;
import com.hsrcpay.apikeys.client.model.VerifyRequest;
import com.hsrcpay.apikeys.client.model.VerifyResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The Java client openapi-generator makes from the committed document ({@code api-client}), used unchanged against the
 * local stack's API port for a merchant's whole flow: every field it reads arrives under the name the document gives,
 * every header it sends is one the API takes. And the committed document is the one the port publishes.
 */
class GeneratedClientIT {

    private static final String ACCOUNT = "acct_dev";
    private static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));

    @TempDir
    static Path dataDir;

    private static LocalStack stack;
    private static ApiClient client;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack(LocalStackSettings.from(Map.of("KMS_DATA_DIR", dataDir.toString(), "KMS_PORT", "0",
                "KMS_KAFKA_PORT", "0", "KMS_PG_PORT", "0", "KMS_COMMAND_PORT", "0", "KMS_QUERY_PORT", "0")));
        stack.start();
        String token = Files.readString(dataDir.resolve("dev-token")).trim();
        client = new ApiClient();
        client.updateBaseUri("http://localhost:" + stack.apiPort());
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    @Test
    void theCommittedDocumentIsTheOneTheApiPortPublishes() throws Exception {
        ObjectMapper json = new ObjectMapper();
        HttpResponse<String> live = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + stack.apiPort() + "/v3/api-docs")).build(),
                HttpResponse.BodyHandlers.ofString());
        JsonNode committed = json.readTree(Path.of("../api-client/src/main/openapi/api-key-service.json").toFile());
        assertThat(json.readTree(live.body()))
                .as("api-client/src/main/openapi/api-key-service.json is stale: write the API port's /v3/api-docs there")
                .isEqualTo(committed);
    }

    @Test
    void aMeteredKeysLimitsAndCreditsThroughTheGeneratedClient() throws Exception {
        ApiKeysApi keys = new ApiKeysApi(client);
        ApiResponse<SingleApiKey> created = keys.createKeyWithHttpInfo(ACCOUNT, new CreateKeyRequest().name("Metered")
                .permissions(READ)
                .ratelimits(List.of(new RateLimitRequest().name("per_second").limit(10L).durationMs(1_000L)))
                .credits(new CreditsRequest().remaining(100L).refill(new RefillRequest()
                        .interval(RefillRequest.IntervalEnum.MONTHLY).amount(50L).refillDay(31))),
                "metered-" + UUID.randomUUID());
        ApiKey metered = created.getData().getData();
        keys.getKey(metered.getId().toString(), null, created.getHeaders().get("x-consistency-token").get(0));
        VerifyResult spent = new VerificationApi(client).verifyKey(new VerifyRequest().key(metered.getKey())
                .credits(new CreditCost().cost(2L))).getData();
        assertThat(spent.getCode()).isEqualTo(VerifyResult.CodeEnum.VALID);
        assertThat(spent.getCredits().getRemaining()).isEqualTo(98L);
        assertThat(spent.getRatelimits()).extracting(LimitLeft::getName).containsExactly("per_second");
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        assertThat(keys.getKeyUsage(metered.getId().toString(), now.minusHours(1), now.plusHours(1)).getData())
                .as("the hours counted so far (written every few seconds)").isNotNull();
        assertThat(metered.getRatelimits()).extracting(RateLimit::getName, RateLimit::getLimit, RateLimit::getDurationMs)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("per_second", 10L, 1_000L));
        assertThat(metered.getCredits().getRemaining()).isEqualTo(100L);
        assertThat(metered.getCredits().getRefill().getInterval()).isEqualTo(CreditsRefill.IntervalEnum.MONTHLY);
        assertThat(metered.getCredits().getRefill().getRefillDay()).isEqualTo(31);

        ApiKey more = keys.adjustCredits(metered.getId().toString(), new CreditsAdjustmentRequest()
                .operation(CreditsAdjustmentRequest.OperationEnum.INCREMENT).amount(5L)).getData();
        assertThat(more.getCredits().getRemaining()).as("the events' value: 100 + 5").isEqualTo(105L);
        assertThat(more.getVersion()).isEqualTo(2L);

        ApiKey unlimited = keys.updateKey(metered.getId().toString(), new KeyPatch().ratelimits(List.of())
                .credits(null), null).getData();
        assertThat(unlimited.getRatelimits()).isEmpty();
        assertThat(unlimited.getCredits()).as("null: unlimited").isNull();
        assertThatThrownBy(() -> keys.adjustCredits(metered.getId().toString(), new CreditsAdjustmentRequest()
                .operation(CreditsAdjustmentRequest.OperationEnum.DECREMENT).amount(1L)))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(409));
    }

    @Test
    void aMerchantsWholeFlowThroughTheGeneratedClient() throws Exception {
        ApiKeysApi keys = new ApiKeysApi(client);
        OffsetDateTime expiry = OffsetDateTime.now(ZoneOffset.UTC).plusDays(30).withNano(0);

        ApiResponse<SingleApiKey> created = keys.createKeyWithHttpInfo(ACCOUNT, new CreateKeyRequest()
                .name("Generated").permissions(READ).managed(true).expiresAt(expiry).metadata(Map.of("team", "core")),
                "generated-" + UUID.randomUUID());
        assertThat(created.getStatusCode()).isEqualTo(201);
        ApiKey key = created.getData().getData();
        String id = key.getId().toString();
        assertThat(key.getKey()).startsWith("sk_live_");
        assertThat(key.getAccountId()).isEqualTo(ACCOUNT);
        assertThat(key.getExpiresAt()).isEqualTo(expiry);
        assertThat(key.getCreatedAt()).isNotNull();
        assertThat(key.getStatus()).isEqualTo(ApiKey.StatusEnum.ACTIVE);
        assertThat(key.getVersion()).isEqualTo(1L);
        String consistency = created.getHeaders().get("x-consistency-token").get(0);

        ApiKey read = keys.getKey(id, null, consistency).getData();
        assertThat(read.getId()).isEqualTo(key.getId());
        assertThat(read.getKey()).doesNotContain(key.getKey()).as("masked on every read");
        assertThat(read.getMetadata()).containsEntry("team", "core");
        assertThat(keys.listKeys(ACCOUNT, 1, 10, true, consistency).getData())
                .extracting(ApiKey::getId).contains(key.getId());

        ApiKey patched = keys.updateKey(id, new KeyPatch().name("Generated (EU)")
                .status(KeyPatch.StatusEnum.INACTIVE).expiresAt(null), "\"1\"").getData();
        assertThat(patched.getName()).isEqualTo("Generated (EU)");
        assertThat(patched.getStatus()).isEqualTo(ApiKey.StatusEnum.INACTIVE);
        assertThat(patched.getExpiresAt()).as("null clears the expiry").isNull();
        assertThatThrownBy(() -> keys.updateKey(id, new KeyPatch().name("late"), "\"1\""))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.getCode()).isEqualTo(412));
        ApiKey active = keys.updateKey(id, new KeyPatch().status(KeyPatch.StatusEnum.ACTIVE), null).getData();

        ApiResponse<SingleApiKey> rotated = keys.regenerateKeyWithHttpInfo(id,
                new RegenerateKeyRequest().gracePeriodSeconds(60L));
        String secret = rotated.getData().getData().getKey();
        assertThat(secret).startsWith("sk_live_").isNotEqualTo(key.getKey());
        String afterRotation = rotated.getHeaders().get("x-consistency-token").get(0);
        keys.getKey(id, null, afterRotation);

        VerificationApi verification = new VerificationApi(client);
        VerifyResult valid = verification.verifyKey(new VerifyRequest().key(secret)
                .permission("account:api:key:read")).getData();
        assertThat(valid.getValid()).as(valid.toString()).isTrue();
        assertThat(valid.getCode()).isEqualTo(VerifyResult.CodeEnum.VALID);
        assertThat(valid.getKeyId()).isEqualTo(key.getId());
        assertThat(verification.whoAmI().getData().getAccountId()).isEqualTo(ACCOUNT);

        AuditApi audit = new AuditApi(client);
        List<HistoryEntry> history = audit.getKeyHistory(id, 1, 100).getData();
        assertThat(history).extracting(HistoryEntry::getSequenceNumber).startsWith(0L, 1L, 2L);
        assertThat(history.get(0).getActor().getId()).isNotBlank();
        assertThat(audit.verifyKeyHistory(id).getData().getIntact()).isTrue();
        File export = audit.exportAuditEvents(ACCOUNT, OffsetDateTime.parse("2000-01-01T00:00:00Z"),
                OffsetDateTime.parse("2100-01-01T00:00:00Z"), null);
        List<String> exported = Files.readAllLines(export.toPath());
        assertThat(exported.get(0)).as("the header: the checkpoint the lines' proofs lead to").contains("\"checkpoint\"");
        assertThat(exported).anySatisfy(line -> assertThat(line).contains(id));

        ApiKey deleted = keys.deleteKey(id).getData();
        assertThat(deleted.getDeleted()).isTrue();
        assertThat(deleted.getStatus()).isEqualTo(ApiKey.StatusEnum.REVOKED);
        assertThat(active.getVersion()).isLessThan(deleted.getVersion());
    }

    @Test
    void anApplicationKeyIsMadeAndRevokedThroughTheGeneratedClient() throws Exception {
        ApiKeysApi keys = new ApiKeysApi(client);
        UUID application = UUID.randomUUID();
        ApiKey key = keys.createKey(ACCOUNT, new CreateKeyRequest().name("App").permissions(READ)
                .applicationId(application), null).getData();
        assertThat(key.getApplicationId()).isEqualTo(application);

        ApplicationsApi applications = new ApplicationsApi(client);
        applications.revokeApplicationKey(application.toString(), key.getId().toString());
        assertThatThrownBy(() -> applications.revokeApplicationKey(application.toString(), key.getId().toString()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.getCode()).isEqualTo(409);
                    assertThat(e.getResponseBody()).contains("key_revoked");
                });
    }
}
