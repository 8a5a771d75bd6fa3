package com.hsrcpay.apikeys.transparency.verifier;

import com.hsrcpay.apikeys.transparency.chain.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The scan of a line's trailing proof gives what the JSON reader gives for the whole line, or leaves it to it. */
class ExportLinesTest {

    static final String EVENT = "{\"key_id\":\"k\",\"sequence_number\":0,\"payload\":{\"name\":\"a \\\"b\\\" ,\\\"inclusion_"
            + "proof\\\":{\\\"tree_size\\\":1}}\"},\"leaf_index\":3";

    @Test
    void theScannedProofIsTheOneTheJsonReaderReads() {
        for (String proof : List.of("{\"tree_size\":13,\"hashes\":[\"AAAA+/==\",\"b3Ro\"]}", "{\"tree_size\":1,\"hashes\":[]}",
                "null", "{\"hashes\":[\"x\"],\"tree_size\":4}", "{\"tree_size\":07,\"hashes\":[]}",
                "{\"tree_size\":5,\"hashes\":[\"a\\u0041\"]}", "{\"tree_size\":5,\"hashes\":[\"a\"] }")) {
            String line = EVENT + ",\"inclusion_proof\":" + proof + "}";
            Object whole;
            try {
                whole = Json.parse(line);
            } catch (IllegalArgumentException e) {
                assertThatThrownBy(() -> ExportLines.parse(line)).as(line).isInstanceOf(IllegalArgumentException.class);
                continue;
            }
            assertThat(ExportLines.parse(line)).as(line).isEqualTo(whole);
        }
    }

    @Test
    void aLineWithTheProofTwiceOrBrokenIsLeftToTheJsonReader() {
        String twice = "{\"inclusion_proof\":null,\"leaf_index\":3,\"inclusion_proof\":{\"tree_size\":1,\"hashes\":[]}}";
        assertThatThrownBy(() -> ExportLines.parse(twice)).hasMessageContaining("twice");
        String unterminated = "{\"a\":\"x,\"inclusion_proof\":{\"tree_size\":1,\"hashes\":[]}}";
        assertThatThrownBy(() -> ExportLines.parse(unterminated)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ExportLines.parse(EVENT + ",\"inclusion_proof\":{\"tree_size\":1,\"hashes\":[]}} x"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
