package com.hsrcpay.apikeys.transparency.chain;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChainDigestsTest {

    static Path vectors() throws URISyntaxException {
        return Path.of(ChainDigestsTest.class.getResource("/vectors/stored-events").toURI());
    }

    @Test
    void theDigestsOfThePinnedStoredEventsAreTheServicesDigests() throws Exception {
        List<Path> events;
        try (Stream<Path> files = Files.list(vectors())) {
            events = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(events).hasSizeGreaterThanOrEqualTo(9);
        for (Path file : events) {
            @SuppressWarnings("unchecked")
            Map<String, Object> payload = (Map<String, Object>) Json.parse(Files.readString(file));
            String type = file.getFileName().toString().replaceAll("-rev\\d+\\.json$", "");
            String expected = Files.readString(Path.of(file.toString().replace(".json", ".digest"))).trim();
            assertThat(ChainDigests.digest(ChainDigests.GENESIS, (String) payload.get("keyId"), 0, type, payload))
                    .as(file.getFileName().toString()).isEqualTo(expected);
        }
    }

    @Test
    void theCanonicalFormSortsNamesDropsBlanksAndWritesNumbersAndStringsOneWay() {
        StringBuilder out = new StringBuilder();
        ChainDigests.canonical(Json.parse("""
                { "b" : [1, 2.50, 1e3, -0.0, 12345678901234567890], "a" : "q\\"\\\\\\/\\u0001\\n\\u00fc\\u2028", "c": {"z": null, "y": true} }"""),
                out);
        assertThat(out.toString()).isEqualTo(
                "{\"a\":\"q\\\"\\\\/\\u0001\\n\u00fc\u2028\",\"b\":[1,2.5,1000,0,12345678901234567890],\"c\":{\"y\":true,\"z\":null}}");
    }

    @Test
    void malformedJsonAndAPayloadWithoutAnInstantAreRefused() throws IOException {
        for (String bad : List.of("{", "{\"a\":1,}", "[01]", "{\"a\":1}x", "\"\u0001\"", "{\"a\":1,\"a\":2}", "nul")) {
            assertThatThrownBy(() -> Json.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> ChainDigests.digest(ChainDigests.GENESIS, "k", 0, "KeyCreated", Map.of("a", "b")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
