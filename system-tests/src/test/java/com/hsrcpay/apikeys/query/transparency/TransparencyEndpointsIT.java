package com.hsrcpay.apikeys.query.transparency;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hsrcpay.apikeys.query.BothServicesTestBase;
import com.hsrcpay.apikeys.shared.message.CheckpointRecords;
import com.hsrcpay.apikeys.testsupport.HttpApi;
import com.hsrcpay.apikeys.testsupport.KafkaContract;
import com.hsrcpay.apikeys.testsupport.KafkaRecords;
import com.hsrcpay.apikeys.testsupport.TestJwts;
import com.hsrcpay.apikeys.testsupport.TestKafka;
import com.hsrcpay.apikeys.transparency.note.Checkpoint;
import com.hsrcpay.apikeys.transparency.note.NoteVerifier;
import com.hsrcpay.apikeys.transparency.note.SignedNote;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transparency log end to end on the real services: every event gets a leaf, checkpoints are signed and served
 * and published, and the proofs the endpoints answer check out with an implementation written here (RFC 6962's
 * recursive definitions), not the production classes.
 */
class TransparencyEndpointsIT extends BothServicesTestBase {

    static final Map<String, List<String>> READ = Map.of("account:api:key", List.of("read"));
    static final ObjectMapper JSON = new ObjectMapper();

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

    static NoteVerifier verifier() {
        HttpApi.Reply reply = reads.get("/v1/transparency/public-key").send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("text/plain");
        assertThat(reply.body()).endsWith("\n");
        return NoteVerifier.parse(reply.body().trim());
    }

    static String checkpointNote() {
        HttpApi.Reply reply = reads.get("/v1/transparency/checkpoint").send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        assertThat(reply.header("Content-Type")).startsWith("text/plain");
        return reply.body();
    }

    static Checkpoint checkpoint() {
        return Checkpoint.parse(SignedNote.open(checkpointNote(), verifier()));
    }

    /** Waits until a served checkpoint covers every stored event; returns it. */
    static Checkpoint checkpointCoveringEverything() {
        long stored = system.jdbc().queryForObject("SELECT count(*) FROM event_store.domain_event_entry", Long.class);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> checkpoint().size() >= stored);
        return checkpoint();
    }

    static byte[] sha256(int prefix, byte[]... parts) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update((byte) prefix);
        for (byte[] part : parts) {
            sha.update(part);
        }
        return sha.digest();
    }

    static int k(long n) {
        int k = 1;
        while ((long) k * 2 < n) {
            k *= 2;
        }
        return k;
    }

    /** The root an audit path leads to, RFC 6962's PATH read backwards (the last hash is the top sibling). */
    static byte[] rootFromPath(long m, long n, byte[] leaf, List<byte[]> path) throws Exception {
        if (n == 1) {
            return path.isEmpty() ? leaf : null;
        }
        if (path.isEmpty()) {
            return null;
        }
        int k = k(n);
        byte[] top = path.get(path.size() - 1);
        List<byte[]> rest = path.subList(0, path.size() - 1);
        if (m < k) {
            byte[] left = rootFromPath(m, k, leaf, rest);
            return left == null ? null : sha256(1, left, top);
        }
        byte[] right = rootFromPath(m - k, n - k, leaf, rest);
        return right == null ? null : sha256(1, top, right);
    }

    /** Both roots {old, new} a consistency proof leads to, RFC 6962's SUBPROOF read backwards; null if malformed. */
    static byte[][] rootsFromConsistency(long m, long n, byte[] oldRoot, List<byte[]> proof, boolean whole)
            throws Exception {
        if (m == n) {
            if (whole) {
                return proof.isEmpty() ? new byte[][] {oldRoot, oldRoot} : null;
            }
            return proof.size() == 1 ? new byte[][] {proof.get(0), proof.get(0)} : null;
        }
        if (proof.isEmpty()) {
            return null;
        }
        int k = k(n);
        byte[] top = proof.get(proof.size() - 1);
        List<byte[]> rest = proof.subList(0, proof.size() - 1);
        if (m <= k) {
            byte[][] left = rootsFromConsistency(m, k, oldRoot, rest, whole);
            return left == null ? null : new byte[][] {left[0], sha256(1, left[1], top)};
        }
        byte[][] right = rootsFromConsistency(m - k, n - k, oldRoot, rest, false);
        return right == null ? null : new byte[][] {sha256(1, top, right[0]), sha256(1, top, right[1])};
    }

    static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        array.forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        return out;
    }

    @Test
    void everyEventOfAKeyIsProvablyInTheSignedTreeAndTheExportNamesItsLeaf() throws Exception {
        String account = account();
        String live = TestJwts.forAccount(account).sign();
        String id = create(account, live, "first");
        rename(id, live, "second");
        rename(id, live, "third");
        Checkpoint checkpoint = checkpointCoveringEverything();
        assertThat(checkpoint.origin()).isEqualTo("test.hsrcpay.example/api-keys");

        HttpApi.Reply export = reads.get("/v1/audit/events?account_id=" + account
                + "&from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z").bearer(live).send();
        assertThat(export.status()).as(export.toString()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        for (String line : export.body().split("\n")) {
            lines.add(JSON.readTree(line));
        }
        JsonNode header = lines.remove(0);
        Checkpoint carried = Checkpoint.parse(SignedNote.open(header.get("checkpoint").asText(),
                NoteVerifier.parse(reads.get("/v1/transparency/public-key").send().body().trim())));
        assertThat(lines).hasSize(3);
        for (JsonNode line : lines) {
            long sequence = line.get("sequence_number").asLong();
            HttpApi.Reply proof = reads.get("/v1/api-keys/" + id + "/history/" + sequence + "/proof").bearer(live).send();
            assertThat(proof.status()).as(proof.toString()).isEqualTo(200);
            JsonNode data = proof.json().get("data");
            assertThat(data.get("tree_size").asLong()).as("defaults to the latest checkpoint's size")
                    .isEqualTo(checkpoint().size());
            assertThat(data.get("leaf_index").asLong()).isEqualTo(line.get("leaf_index").asLong());
            byte[] leaf = sha256(0, HexFormat.of().parseHex(line.get("chain_digest").asText()));
            // the export's own proof of the line leads to the root of the checkpoint its header carries
            assertThat(line.at("/inclusion_proof/tree_size").asLong()).isEqualTo(carried.size());
            assertThat(rootFromPath(line.get("leaf_index").asLong(), carried.size(), leaf,
                    hashes(line.at("/inclusion_proof/hashes")))).isEqualTo(carried.rootHash());
            Checkpoint signed = checkpoint();
            if (signed.size() == data.get("tree_size").asLong()) {
                assertThat(rootFromPath(data.get("leaf_index").asLong(), data.get("tree_size").asLong(), leaf,
                        hashes(data.get("hashes")))).as("the proof leads to the signed root").isEqualTo(signed.rootHash());
            }
            // at an explicit, smaller size that still holds the event
            long smaller = data.get("leaf_index").asLong() + 1;
            JsonNode at = reads.get("/v1/api-keys/" + id + "/history/" + sequence + "/proof?tree_size=" + smaller)
                    .bearer(live).send().json().get("data");
            assertThat(at.get("tree_size").asLong()).isEqualTo(smaller);
            byte[] root = rootFromPath(at.get("leaf_index").asLong(), smaller, leaf, hashes(at.get("hashes")));
            assertThat(root).isNotNull();
            // that root is the one the tree of that size has: consistent with the signed checkpoint
            JsonNode consistency = reads.get("/v1/transparency/consistency?first=" + smaller + "&second=" + signed.size())
                    .send().json().get("data");
            byte[][] roots = rootsFromConsistency(smaller, signed.size(), root, hashes(consistency.get("hashes")), true);
            assertThat(roots).isNotNull();
            assertThat(roots[1]).isEqualTo(signed.rootHash());
        }
        assertThat(lines).extracting(l -> l.get("leaf_index").asLong()).isSorted().doesNotHaveDuplicates();
    }

    @Test
    void aLaterCheckpointIsProvablyAnExtensionOfAnEarlierOne() throws Exception {
        String account = account();
        String live = TestJwts.forAccount(account).sign();
        create(account, live, "before");
        Checkpoint earlier = checkpointCoveringEverything();
        create(account, live, "after");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> checkpoint().size() > earlier.size());
        Checkpoint later = checkpoint();

        HttpApi.Reply reply = reads.get("/v1/transparency/consistency?first=" + earlier.size() + "&second="
                + later.size()).send();
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        JsonNode data = reply.json().get("data");
        assertThat(data.get("first").asLong()).isEqualTo(earlier.size());
        assertThat(data.get("second").asLong()).isEqualTo(later.size());
        byte[][] roots = rootsFromConsistency(earlier.size(), later.size(), earlier.rootHash(),
                hashes(data.get("hashes")), true);
        assertThat(roots).isNotNull();
        assertThat(roots[0]).isEqualTo(earlier.rootHash());
        assertThat(roots[1]).isEqualTo(later.rootHash());
        // and a forged earlier root does not lead there
        byte[] forged = earlier.rootHash();
        forged[0] ^= 1;
        byte[][] fromForged = rootsFromConsistency(earlier.size(), later.size(), forged, hashes(data.get("hashes")), true);
        assertThat(fromForged == null || !java.util.Arrays.equals(fromForged[0], forged)
                || !java.util.Arrays.equals(fromForged[1], later.rootHash())).as("the forged root is not proven").isTrue();
    }

    @Test
    void checkpointsArePublishedToKafkaAsTheContractDescribesThem() {
        String account = account();
        create(account, TestJwts.forAccount(account).sign(), "published");
        Checkpoint covering = checkpointCoveringEverything();
        NoteVerifier verifier = verifier();
        List<ConsumerRecord<String, String>> records = KafkaRecords.awaitRecords(TestKafka.bootstrapServers(),
                CheckpointRecords.TOPIC, record -> Checkpoint.parse(SignedNote.open(record.value(), verifier)).size()
                        >= covering.size(), 1, Duration.ofSeconds(30));
        ConsumerRecord<String, String> record = records.get(0);
        KafkaContract.get().check(record);
        assertThat(record.key()).isEqualTo("test.hsrcpay.example/api-keys");
        assertThat(KafkaRecords.header(record, "content-type")).isEqualTo("text/plain");
    }

    @Test
    void sizesBeyondTheCheckpointOrWithoutTheEventAre400AndUnknownKeysOrEvents404() {
        String account = account();
        String live = TestJwts.forAccount(account).sign();
        String id = create(account, live, "bounds");
        rename(id, live, "bounds2");
        long size = checkpointCoveringEverything().size();
        String proof = "/v1/api-keys/" + id + "/history/";
        long leaf = reads.get(proof + "1/proof").bearer(live).send().json().at("/data/leaf_index").asLong();

        assertThat(reads.get(proof + "1/proof?tree_size=" + (size + 1000)).bearer(live).send().json()
                .at("/error/details/reason").asText()).isEqualTo("beyond_latest_checkpoint");
        HttpApi.Reply withoutIt = reads.get(proof + "1/proof?tree_size=" + leaf).bearer(live).send();
        assertThat(withoutIt.status()).isEqualTo(400);
        assertThat(withoutIt.json().at("/error/details/reason").asText()).isEqualTo("event_not_in_tree");
        assertThat(reads.get(proof + "1/proof?tree_size=0").bearer(live).send().status()).isEqualTo(400);
        assertThat(reads.get(proof + "1/proof?tree_size=x").bearer(live).send().status()).isEqualTo(400);
        assertThat(reads.get(proof + "2/proof").bearer(live).send().status()).isEqualTo(404);
        assertThat(reads.get(proof + "-1/proof").bearer(live).send().status()).isEqualTo(404);
        assertThat(reads.get(proof + "x/proof").bearer(live).send().status()).isEqualTo(404);
        assertThat(reads.get("/v1/api-keys/6f1c2a4e-1111-4222-8333-944455556666/history/0/proof").bearer(live).send()
                .status()).isEqualTo(404);
        assertThat(reads.get("/v1/api-keys/not-a-uuid/history/0/proof").bearer(live).send().status()).isEqualTo(404);
        // another account's key, a sandbox credential, no credential, no read permission
        assertThat(reads.get(proof + "0/proof").bearer(TestJwts.forAccount(account()).sign()).send().status())
                .isEqualTo(404);
        assertThat(reads.get(proof + "0/proof").bearer(TestJwts.forAccount(account).mode("test").sign()).send()
                .status()).isEqualTo(404);
        assertThat(reads.get(proof + "0/proof").send().status()).isEqualTo(401);
        assertThat(reads.get(proof + "0/proof").bearer(TestJwts.forAccount(account)
                .permissions("account:api:key:create").sign()).send().status()).isEqualTo(403);

        String consistency = "/v1/transparency/consistency";
        assertThat(reads.get(consistency + "?first=2&second=1").send().json().at("/error/details/reason").asText())
                .isEqualTo("first_after_second");
        assertThat(reads.get(consistency + "?first=1&second=" + (size + 1000)).send().json()
                .at("/error/details/reason").asText()).isEqualTo("beyond_latest_checkpoint");
        assertThat(reads.get(consistency + "?first=0&second=1").send().status()).isEqualTo(400);
        assertThat(reads.get(consistency + "?second=1").send().json().at("/error/details/field").asText())
                .isEqualTo("first");
        assertThat(reads.get(consistency + "?first=1").send().json().at("/error/details/field").asText())
                .isEqualTo("second");
        assertThat(reads.get(consistency + "?first=1&second=1").send().json().at("/data/hashes").size()).isZero();
    }
}
