package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.ChainDigests;
import com.hsrcpay.apikeys.transparency.chain.Json;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scan of a line in the service's layout reads what the JSON reader reads from it; every other line it leaves
 * to that reader. And the export's lines are split as {@link BufferedReader#readLine} splits them.
 */
class EventLineTest {

    static final String PAYLOAD = "{\"keyId\":\"k1\",\"name\":\"a \\\"b\\\" \u00fc\",\"metadata\":{\"n\":1,\"r\":0.50},"
            + "\"occurredAt\":\"2026-12-01T00:00:00.123456Z\",\"list\":[\"x\",null,true]}";
    static final String HASH = Base64.getEncoder().encodeToString(new byte[32]);
    static final String HEAD = "{\"global_index\":12,\"key_id\":\"k1\",\"sequence_number\":3,\"type\":\"KeyUpdated\","
            + "\"occurred_at\":\"2026-12-01T00:00:00.123456Z\",\"payload\":" + PAYLOAD + ",\"chain_digest\":\""
            + "ab".repeat(32) + "\",\"leaf_index\":7";
    static final String LINE = HEAD + ",\"inclusion_proof\":{\"tree_size\":13,\"hashes\":[\"" + HASH + "\",\"b3Ro\"]}}";

    /** Every field the audit reads, and the digest after a given predecessor, as one text to compare. */
    static String fields(EventLine line) {
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < line.hashCount; i++) {
            hashes.add(new String(line.hashText, line.hashStarts[i], line.hashEnds[i] - line.hashStarts[i],
                    StandardCharsets.ISO_8859_1));
        }
        return String.join("|", line.keyId, String.valueOf(line.sequence), line.type, line.claimed,
                String.valueOf(line.claimedWellFormed), String.valueOf(line.hasPayload()), String.valueOf(line.leafIndex),
                String.valueOf(line.proof), String.valueOf(line.treeSize), String.valueOf(line.hashesAreText),
                hashes.toString(), line.digest(ChainDigests.GENESIS));
    }

    /** The fields the JSON reader gives, or null when it refuses the line. */
    static String read(String text) {
        Object object;
        try {
            object = Json.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> event = (Map<String, Object>) object;
        EventLine line = new EventLine();
        line.of(event);
        return fields(line);
    }

    /** The fields the scan gives, or null when it leaves the line to the JSON reader. */
    static String scan(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        EventLine line = new EventLine();
        return line.scan(bytes, 0, bytes.length) ? fields(line) : null;
    }

    @Test
    void theServicesLayoutIsScannedToWhatTheJsonReaderReads() {
        for (String line : List.of(LINE, HEAD + "}", HEAD + ",\"inclusion_proof\":null}",
                HEAD + ",\"inclusion_proof\":{\"tree_size\":13,\"hashes\":[]}}",
                HEAD.replace("\"ab", "null").replace("ab\"", "").replace("ab", "") + "}",
                HEAD.replace("\"leaf_index\":7", "\"leaf_index\":null") + "}",
                HEAD.replace("2026-12-01T00:00:00.123456Z\",\"list", "2026-12-01T00:00:00.120Z\",\"list") + "}",
                HEAD.replace("\"occurredAt\":\"2026-12-01T00:00:00.123456Z\",", "") + "}")) {
            assertThat(scan(line)).as(line).isNotNull().isEqualTo(read(line));
        }
        assertThat(read(LINE)).contains("|GIVEN|13|true|[" + HASH + ", b3Ro]|");
    }

    @Test
    void anyOtherLineIsLeftToTheJsonReader() {
        for (String line : List.of(LINE.replace("\"type\":", "\"type\" :"), LINE.replace(",\"type\":\"KeyUpdated\"", "")
                        + "x", LINE.replace("b3Ro", "b3\\/Ro"), LINE.replace("b3Ro", "b3\u0001Ro"),
                LINE.replace("b3Ro", "b3\u00fcRo"), LINE.replace("\"tree_size\":13", "\"tree_size\":013"),
                LINE.replace("\"key_id\":\"k1\"", "\"key_id\":\"k\\u0031\""), LINE + " ", LINE.substring(1),
                LINE.replace("\"sequence_number\":3", "\"sequence_number\":-3"),
                LINE.replace("\"ab", "\"AB"), LINE.replace("}}", "},\"leaf_index\":8}"),
                LINE.replace("\"metadata\":{\"n\":1", "\"metadata\":{\"n\":1,\"n\":2"),
                LINE.replace("\"hashes\":[", "\"hashes\":[" + ("\"" + HASH + "\",").repeat(63)),
                LINE.replace("\"occurredAt\":\"2026-12-01T00:00:00.123456Z\"", "\"occurredAt\":17"),
                LINE.replace("\"tree_size\":13", "\"tree_size\":1234567890123456789"),
                HEAD.replace("\"leaf_index\":7", "\"leaf_index\":7,\"inclusion_proof\":{\"hashes\":[],\"tree_size\":1}}"),
                LINE.substring(0, LINE.length() - 1))) {
            assertThat(scan(line)).as(line).isNull();
        }
        // what the JSON reader makes of a few of them: the same fields by another way, or a refusal
        assertThat(read(LINE.replace("b3Ro", "b3\\/Ro"))).contains("b3/Ro");
        assertThat(read(LINE.replace("\"tree_size\":13", "\"tree_size\":013"))).isNull();
        assertThat(read(LINE.replace("\"hashes\":[", "\"hashes\":[" + ("\"" + HASH + "\",").repeat(63)))).contains("|MALFORMED|");
    }

    @Test
    void aLineSharingTheLastOnesProofTailIsReadAsIfReadAlone() {
        Random random = new Random(16);
        List<String> hashes = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] hash = new byte[32];
            random.nextBytes(hash);
            hashes.add(Base64.getEncoder().encodeToString(hash));
        }
        EventLine reused = new EventLine();
        for (int round = 0; round < 3_000; round++) {
            List<String> proof = new ArrayList<>(hashes);
            for (int k = random.nextInt(3); k > 0; k--) {
                int i = random.nextInt(proof.size());
                String hash = proof.get(i);
                int at = random.nextInt(hash.length());
                String[] swaps = {"A", "b", "\\", "\"", "\u0001", "\u00fc", "AA", ""};
                proof.set(i, hash.substring(0, at) + swaps[random.nextInt(swaps.length)] + hash.substring(at + 1));
            }
            String line = HEAD + ",\"inclusion_proof\":{\"tree_size\":13,\"hashes\":[\"" + String.join("\",\"", proof)
                    + "\"]}}" + (random.nextInt(10) == 0 ? List.of("}", " ", "x", "]}}").get(random.nextInt(4)) : "");
            byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
            String alone = scan(line);
            String afterTheLast = reused.scan(bytes, 0, bytes.length) ? fields(reused) : null;
            assertThat(afterTheLast).as(line).isEqualTo(alone);
            if (alone != null) {
                assertThat(alone).as(line).isEqualTo(read(line));
            }
        }
    }

    @Test
    void linesAreSplitAsBufferedReaderSplitsThem() throws IOException {
        Random random = new Random(16);
        String[] pieces = {"a", "bc", "\n", "\r", "\r\n", "\n\n", "{\"x\":1}", "\u00fc", "0123456789"};
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(60); i > 0; i--) {
                text.append(pieces[random.nextInt(pieces.length)]);
            }
            List<String> expected = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new StringReader(text.toString()))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    expected.add(line);
                }
            }
            List<String> split = new ArrayList<>();
            ExportReader reader = new ExportReader(new ByteArrayInputStream(text.toString()
                    .getBytes(StandardCharsets.UTF_8)), 1 + random.nextInt(9));
            while (reader.next()) {
                split.add(new String(reader.buffer(), reader.start(), reader.end() - reader.start(),
                        StandardCharsets.UTF_8));
            }
            assertThat(split).as(text.toString().replace("\r", "\\r").replace("\n", "\\n")).isEqualTo(expected);
        }
    }
}
