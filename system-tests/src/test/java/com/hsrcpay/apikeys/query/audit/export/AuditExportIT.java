package com.hsrcpay.apikeys.query.audit.export;

import com.hsrcpay.apikeys.query.BothServicesTestBase;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import com.hsrcpay.apikeys.shared.chain.EventChain;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.TestJwts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The NDJSON audit export against the real command and query services on one real PostgreSQL. */
class AuditExportIT extends BothServicesTestBase {

    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final ObjectMapper JSON = new ObjectMapper();
    static final String WIDE = "&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z";

    static String create(String account, String bearer, String name) {
        HttpApi.Reply reply = writes.post("/v1/api-keys/?account_id=" + account).bearer(bearer)
                .json(Map.of("name", name, "permissions", READ)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().at("/data/id").asText();
    }

    static void rename(String id, String bearer, String name) {
        HttpApi.Reply reply = writes.patch("/v1/api-keys/" + id).bearer(bearer).json(Map.of("name", name)).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
    }

    static HttpApi.Reply export(String bearer, String query) {
        return reads.get("/v1/audit/events?" + query).bearer(bearer).send();
    }

    static List<JsonNode> lines(HttpApi.Reply reply) throws Exception {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        assertThat(reply.body()).endsWith("\n");
        for (String line : reply.body().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        // the first line is the header: the export's window and the checkpoint its lines' proofs lead to
        JsonNode header = lines.remove(0);
        assertThat(header.has("key_id")).as(header.toString()).isFalse();
        assertThat(header.has("checkpoint")).as(header.toString()).isTrue();
        return lines;
    }

    @Test
    void exportsOnlyTheCallersAccountAndModeInGlobalOrderWithVerifiableChainDigests() throws Exception {
        String account = account();
        String live = TestJwts.forAccount(account).sign();
        String test = TestJwts.forAccount(account).mode("test").sign();
        String other = account();
        String otherToken = TestJwts.forAccount(other).sign();

        String a = create(account, live, "A");
        String b = create(account, live, "B");
        rename(a, live, "A2");
        rename(b, live, "B2");
        rename(a, live, "A3");
        String testKey = create(account, test, "T");
        String otherKey = create(other, otherToken, "O");

        List<JsonNode> exported = lines(export(live, "account_id=" + account + WIDE));
        assertThat(exported).hasSize(5);
        List<String> keys = exported.stream().map(l -> l.get("key_id").asText()).toList();
        assertThat(keys).containsExactly(a, b, a, b, a).doesNotContain(testKey, otherKey);
        long previousIndex = -1;
        for (JsonNode line : exported) {
            assertThat(line.get("global_index").asLong()).isGreaterThan(previousIndex);
            previousIndex = line.get("global_index").asLong();
            assertThat(line.at("/payload/accountId").asText()).isEqualTo(account);
            assertThat(line.at("/payload/mode").asText()).isEqualTo("live");
            assertThat(line.get("occurred_at").asText()).isEqualTo(line.at("/payload/occurredAt").asText());
            assertThat(line.get("chain_digest").asText()).hasSize(64);
        }
        assertThat(exported.stream().map(l -> l.get("type").asText()).toList())
                .containsExactly("KeyCreated", "KeyCreated", "KeyUpdated", "KeyUpdated", "KeyUpdated");
        assertThat(verifyOffline(exported)).isEqualTo(5);

        // the other mode and the other account see their own events only
        List<JsonNode> testMode = lines(export(test, "account_id=" + account + WIDE));
        assertThat(testMode).extracting(l -> l.get("key_id").asText()).containsExactly(testKey);
        assertThat(verifyOffline(testMode)).isEqualTo(1);
        assertThat(lines(export(otherToken, "account_id=" + other + WIDE)))
                .extracting(l -> l.get("key_id").asText()).containsExactly(otherKey);

        // a tampered line no longer verifies
        JsonNode tampered = exported.get(2).deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) tampered.get("payload")).put("requestId", "forged");
        List<JsonNode> forged = new ArrayList<>(exported);
        forged.set(2, tampered);
        assertThat(verifyOffline(forged)).isEqualTo(2);
    }

    @Test
    void theWindowIsFromInclusiveToExclusiveOnOccurredAt() throws Exception {
        String account = account();
        String live = TestJwts.forAccount(account).sign();
        String id = create(account, live, "v0");
        for (int i = 1; i <= 4; i++) {
            Thread.sleep(5); // distinct occurredAt milliseconds, so the window bounds fall between events
            rename(id, live, "v" + i);
        }
        List<JsonNode> all = lines(export(live, "account_id=" + account + WIDE));
        assertThat(all).hasSize(5);
        String from = all.get(1).get("occurred_at").asText();
        String to = all.get(3).get("occurred_at").asText();
        List<JsonNode> window = lines(export(live, "account_id=" + account + "&from=" + from + "&to=" + to));
        assertThat(window).extracting(l -> l.get("sequence_number").asLong()).containsExactly(1L, 2L);
        // an offset instead of Z is the same instant
        String offset = Instant.parse(from).atOffset(java.time.ZoneOffset.ofHours(2)).toString().replace("+", "%2B");
        assertThat(lines(export(live, "account_id=" + account + "&from=" + offset + "&to=" + to))).hasSize(2);
        // a window before any event is empty, not an error
        assertThat(lines(export(live, "account_id=" + account + "&from=2001-01-01T00:00:00Z&to=2001-01-02T00:00:00Z")))
                .isEmpty();
    }

    @Test
    void refusesAnotherAccountMissingPermissionAndBadWindows() {
        String account = account();
        String live = TestJwts.forAccount(account).sign();
        assertThat(export(live, "account_id=acct_someone_else" + WIDE).status()).isEqualTo(403);
        String noRead = TestJwts.forAccount(account).permissions("account:api:key:create").sign();
        assertThat(export(noRead, "account_id=" + account + WIDE).status()).isEqualTo(403);
        assertThat(reads.get("/v1/audit/events?account_id=" + account + WIDE).send().status()).isEqualTo(401);
        for (String bad : List.of("&from=yesterday&to=2100-01-01T00:00:00Z", "&from=2000-01-01T00:00:00Z&to=2000-13-01",
                "&from=2020-01-01T00:00:00Z&to=2020-01-01T00:00:00Z", "&from=2021-01-01T00:00:00Z&to=2020-01-01T00:00:00Z",
                "&to=2020-01-01T00:00:00Z", "&from=2020-01-01T00:00:00Z")) {
            HttpApi.Reply reply = export(live, "account_id=" + account + bad);
            assertThat(reply.status()).as(bad + " " + reply).isEqualTo(400);
        }
        // tree_size names a signed checkpoint: malformed, or a size no checkpoint was signed at, is 400 on that field
        for (String bad : List.of("0", "-1", "abc", "1.5", "999999999999")) {
            HttpApi.Reply reply = export(live, "account_id=" + account + WIDE + "&tree_size=" + bad);
            assertThat(reply.status()).as(bad + " " + reply).isEqualTo(400);
            assertThat(reply.json().at("/error/details/field").asText()).as(reply.toString()).isEqualTo("tree_size");
        }
    }

    /**
     * The auditor's offline check (README, "Auditing"): per key_id, in sequence order from GENESIS, recompute each
     * digest from the line and compare. Returns the number of lines that verify before the first that does not.
     */
    static int verifyOffline(List<JsonNode> lines) {
        Map<String, String> previous = new HashMap<>();
        Map<String, Long> nextSequence = new HashMap<>();
        int ok = 0;
        for (JsonNode line : lines) {
            String key = line.get("key_id").asText();
            long sequence = line.get("sequence_number").asLong();
            if (sequence != nextSequence.getOrDefault(key, 0L)) {
                return ok;
            }
            String digest = EventChain.digestOfStored(previous.get(key), key, sequence, line.get("type").asText(),
                    line.get("payload").toString().getBytes(StandardCharsets.UTF_8));
            if (!digest.equals(line.get("chain_digest").asText())) {
                return ok;
            }
            previous.put(key, digest);
            nextSequence.put(key, sequence + 1);
            ok++;
        }
        return ok;
    }
}
